"""The warehouse: where its files live, the work database and its raw store, the SQL files, the build and the
published snapshot the app and reports read."""
