"""How names are compared (the one key that category rules, agreement items and tier names match on) and
shown (what of a name from QuickBooks may reach a printout or a mail header)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


# Joiners change how Arabic, Persian, Indic letters and emoji sequences are drawn, so they stay between two
# such characters; anywhere else (inside a Latin name) they draw nothing and only make two names that look
# alike differ.
_JOINERS = "\u200c\u200d"
_JOINED = ("Lo", "Lm", "Mn", "Mc", "So", "Sk")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def printable(text: str) -> str:
    """The name as it may be shown in a printout or a mail header: without control characters (a vertical
    tab, which no font draws and which would start a header line of its own), bidirectional overrides and
    isolates (U+202E shows the rest of a subject backwards) and zero-width characters (U+200B,
    U+FEFF, a joiner between Latin letters), which draw nothing but change what a reader is shown."""
    kept = []
    for index, char in enumerate(text):
        if char in _JOINERS:
            if _joins(text[index - 1] if index else "", text[index + 1] if index + 1 < len(text) else ""):
                kept.append(char)
        elif not (_INVISIBLE.match(char) or (unicodedata.category(char) == "Cc" and char not in "\t\n\r")):
            kept.append(char)
    return "".join(kept)


def _joins(before: str, after: str) -> bool:
    return all(char and unicodedata.category(char) in _JOINED for char in (before, after))
