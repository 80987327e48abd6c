"""Domain and warehouse code, in rooms: settings ← warehouse ← figures ← documents ← jobs (each may import the
rooms before it), on a base of small shared modules (money, months, names, markdown, files)."""
