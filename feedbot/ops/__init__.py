"""Operations around a run: the locked, recorded run and `check` (runner), the daemon (the only
APScheduler user), the run lock, status.json and `feedbot serve`."""
