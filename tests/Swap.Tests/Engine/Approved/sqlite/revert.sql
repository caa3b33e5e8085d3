-- RevertWindow
-- refused: a revert window needs the online engine (triggers that capture the writes after the cut-over), and swaps on Sqlite run as one rebuild transaction: it is not available on SQLite yet

