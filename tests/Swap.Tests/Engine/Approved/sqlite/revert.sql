-- RevertWindow
-- refused: revert windows are not available on SQLite yet: Swap keeps an old table in step with the new one after the cut-over (reverse capture) only on MySQL/MariaDB and PostgreSQL; keep a copy of the database file from before the swap if you may want it back

