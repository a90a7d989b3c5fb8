"""Store: the SQLite store (the only sqlite3 user) and its numbered migrations."""
