"""Data exchange: export, import and merge, share, bundles, find, and other tools' files."""
