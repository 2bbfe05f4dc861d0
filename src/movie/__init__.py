"""movie: answers questions about films from a local SQLite catalog."""

__version__ = "0.1.0"
