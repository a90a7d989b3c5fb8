"""Curate, pure: the topic classifier and its built-in topics, near-duplicate detection, and the
curator's tools (classify JSON Lines, evaluate, explain)."""
