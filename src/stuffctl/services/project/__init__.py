"""Projects (`stuffctl project`): records and listing, and project templates."""
