"""Names from QuickBooks that hide or turn text around: a right-to-left override (U+202E) or a zero-width
character reaches neither a mail's subject nor a printout, and both strip them with one function."""
from __future__ import annotations

import pytest

from models.documents.pdf import font_runs
from models.jobs import delivery
from models.names import printable
from models.settings.job_settings import Email

HIDDEN = {
    "right-to-left override": "Acme\u202efdp.exe",
    "left-to-right and right-to-left isolates": "Acme\u2066 \u2067Labs\u2069",
    "zero-width space": "Ac\u200bme",
    "zero-width joiner between Latin letters": "Ac\u200dme",
    "byte-order mark": "\ufeffAcme",
    "word joiner": "Acme\u2060Labs",
    "right-to-left mark": "Acme\u200f",
}
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
EMAIL = Email(host="smtp.example.com", port=587, security="starttls", user="", password_file="",
              sender="reports@example.com", owner=("owner@example.com",), accountant=(), timeout=30)


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_hidden_character_in_a_name_never_reaches_a_subject(name):
    subject = delivery.message(EMAIL, EMAIL.owner, delivery.alert_mail(f"the sync of {name} failed", []), "k")["Subject"]
    assert not set(subject) & set(INVISIBLE), repr(subject)
    assert "Acme" in subject


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_printout_strips_the_same_characters(name):
    printed = "".join(text for _, text in font_runs(name))
    assert printed == printable(name) and not set(printed) & set(INVISIBLE), repr(printed)


@pytest.mark.parametrize("name", [
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",           # Persian: the non-joiner spells the word
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",                  # one family emoji, not three people
    "\u0915\u094d\u200d\u0937",                                    # Devanagari: a half form
    "Caf\u00e9 & Co.\tLtd",
])
def test_joiners_that_change_a_word_stay(name):
    assert printable(name) == name
