"""Moving in from other tools: Taskwarrior and Homebox."""
