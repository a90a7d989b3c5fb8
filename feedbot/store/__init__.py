"""Store: the SQLite store (db.py; connection.py alone imports sqlite3) and its numbered
migrations."""
