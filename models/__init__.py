"""Domain and warehouse code: paths, the DuckDB work database, builds, snapshots and reports."""
