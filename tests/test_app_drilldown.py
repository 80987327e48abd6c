"""Every headline of every page opens its lines, and a money headline's lines add up to what it shows."""
from __future__ import annotations

import pytest

from tests.helpers import AS_OF, PAGES, app_on


@pytest.mark.parametrize("page", PAGES)
def test_every_headline_opens_lines_that_add_up_to_it(monkeypatch, demo_db, page):
    app = app_on(monkeypatch, demo_db, page)
    figures = {m.label: m.value for m in app.metric}
    buttons = [b.key for b in app.button if b.key and b.key.startswith("lines:")]
    for key in buttons:
        label = key.removeprefix("lines:")
        next(b for b in app.button if b.key == key).click()
        app.run()
        assert not app.exception, [e.message for e in app.exception]
        (said,) = [t.value for t in app.text if " adding up to " in t.value]
        if figures[label].startswith(("$", "-$")):
            assert said.endswith(f" adding up to {figures[label]}"), (label, said)
    assert buttons or page in ("dashboards/garden.py", "dashboards/categories.py", "dashboards/data.py")


def test_the_period_presets_compare_and_colour_the_share_against_the_target(monkeypatch, demo_db):
    from models.figures import periods
    from models.months import part_month

    app = app_on(monkeypatch, demo_db, "dashboards/revenue.py")
    for preset in periods.PRESETS:
        app.session_state["period_preset"] = preset
        app.run()
        assert not app.exception, [e.message for e in app.exception]
        share = next(m for m in app.metric if m.label == "Recurring share")
        if part_month(periods.chosen(preset, AS_OF).last):  # a part month is never judged against the target
            assert not share.delta, preset
        else:
            assert share.delta.endswith("pts against the 60% target"), preset
        revenue = next(m for m in app.metric if m.label == "Revenue")
        assert revenue.value.startswith("$") and revenue.delta
