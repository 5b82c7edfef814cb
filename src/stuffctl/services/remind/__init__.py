"""Reminders: own reminders, derived sources, the engine behind `remind run`."""
