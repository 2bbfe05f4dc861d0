"""Sources: each module reads one kind of input and yields rows or records; none writes SQL.

The writer (movie.writer) is the only code that writes them to a catalog. Modules here import
only leaves (text, dates, files, errors, tables, records) and each other.
"""
