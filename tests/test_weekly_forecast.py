"""The weekly PDF's forecast section (issue 28): the next three months' committed and expected MRR, the 13 weeks'
cash and the clients at risk, tying to report forecast, report forecast --cash and report at-risk to the cent, as
pdftotext reads the page."""
from __future__ import annotations

from decimal import Decimal as D

from models.figures.formatting import money_text
from tests.helpers import AS_OF, cli, pdftotext
from tests.metrics import report


def test_the_weekly_pdf_s_forecast_ties_to_the_reports(demo_db, tmp_path):
    out = tmp_path / "week.pdf"
    assert cli("weekly", "--week", AS_OF.isoformat(), "--out", out, "--db", demo_db) == 0
    text = pdftotext(out, layout=True)
    rows = [line.split() for line in text.splitlines()]
    months = report(demo_db, "forecast", AS_OF, months=3)
    assert [f"{m['month']:%b %Y}" for m in months] == ["Dec 2026", "Jan 2027", "Feb 2027"]
    assert "Jan 2027" in text and "Feb 2027" in text
    for label, column in (("Committed", "committed_mrr"), ("Expected", "expected_mrr")):
        (row,) = [r for r in rows if label in r and "MRR" in r]
        assert row[-3:] == [money_text(m[column]) for m in months], label
    weeks = report(demo_db, "forecast", AS_OF, cash=True)
    assert len(weeks) == 13
    flat = " ".join(pdftotext(out).split())
    cash_in = sum((w["cash_in"] for w in weeks), D("0.00"))
    assert cash_in > 0 and f"the next 13 weeks (November 23 – February 21, 2027): {money_text(cash_in)}" in flat
    for words, column in (("recurring billing", "recurring_billing"), ("receivables", "receivables"),
                          ("hourly run-rate", "hourly_run_rate")):
        assert f"{words} {money_text(sum((w[column] for w in weeks), D('0.00')))}" in flat, words
    clients = {(r["realm_id"], r["client_id"]) for r in report(demo_db, "at-risk", AS_OF)}
    assert clients and f"{len(clients)} client{'s' if len(clients) != 1 else ''} at risk" in flat
