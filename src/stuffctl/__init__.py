"""stuffctl: keep track of your stuff from the command line."""

__version__ = "0.1.0"
