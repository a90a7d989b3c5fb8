"""Store: the SQLite store (store/db.py; connection.py the only sqlite3 user) and its numbered migrations."""
