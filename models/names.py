"""How names are compared: the one key that category rules, agreement items and tier names match on."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line's parser reads the settings, which compare names: no DuckDB at start
    import duckdb

# Letters, digits and combining marks of every script stay (a Devanagari vowel sign or a Thai tone
# mark changes the word); spaces, punctuation, symbols and emoji go.
_KEPT = ("L", "N", "M")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The name as rules compare it: Unicode compatibility form (NFKC: a full-width "Ｌａｂｏｒ" is
    "Labor"), case folded ("STRASSE" = "straße"), then only letters, digits and marks, so
    "Labor - Hourly", "labor hourly" and "LaborHourly" are one name, and so are "Ремонт" and "РЕМОНТ".
    Accents stay: "Café" and "Cafe" are different names."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return "".join(c for c in folded if unicodedata.category(c)[0] in _KEPT)


def register(con: duckdb.DuckDBPyConnection) -> None:
    """name_key as a SQL function on the build's connection, so SQL and Python compare names alike.
    Python functions stay out of the snapshot's readers: a connection holding one must be closed
    before the process exits (the build's is), and readers' connections live as long as the app."""
    con.create_function("name_key", name_key, ["VARCHAR"], "VARCHAR")
