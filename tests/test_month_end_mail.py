"""Issue #22 item 3: the month-end email says what was compared, in the words of the app's badge."""
from __future__ import annotations

from datetime import date

import pytest

from models.jobs import delivery
from models.settings import settings
from models.figures.freshness import tie_out_text
from tests.helpers import snapshot


@pytest.fixture(scope="module")
def demo_db(demo_copies):
    return demo_copies("month-end-mail", 3, 1)


def test_the_email_of_books_never_compared_with_quickbooks_says_so(demo_db):
    owner = settings.load(settings.settings_path(demo_db))
    mail = delivery.month_end_mail(snapshot(demo_db), owner, "Northwind", date(2026, 10, 1), date(2026, 11, 3))
    badge = tie_out_text([], 0, connected=False)
    assert badge == "ties out: revenue lines to their documents; not compared with QuickBooks (no company connected)"
    assert f"It {badge}." in mail.body
    assert "It ties out;" not in mail.body


@pytest.mark.parametrize("failed, months, connected, words", [
    ([], 1, True, "ties out: revenue lines to their documents, income to QuickBooks (1 month compared)"),
    ([], 3, True, "ties out: revenue lines to their documents, income to QuickBooks (3 months compared)"),
    ([], 0, True, "ties out: revenue lines to their documents; not compared with QuickBooks "
                  "(no sync has fetched QuickBooks' ProfitAndLoss yet)"),
    (["income against QuickBooks' ProfitAndLoss"], 1, True,
     "does not tie out: income against QuickBooks' ProfitAndLoss"),
])
def test_the_words_of_each_outcome(failed, months, connected, words):
    assert tie_out_text(failed, months, connected) == words
