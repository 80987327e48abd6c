"""Revenue by month and category."""
import streamlit as st

from dashboards.common import (SETTINGS_KEY, as_of, chart_opening_lines, headline, owner_settings, reader, realm, report,
                               table_opening_lines)
from models.documents import charts
from models.figures import drilldown, periods
from models.figures.formatting import money_text, month_text, share_text
from models.figures.revenue import month_by_category_table
from models.figures.totals import TotalRow
from models.settings.settings import BASES
from models.figures import no_rows

st.title("Revenue by month and category")
# QuickBooks' own Accrual/Cash toggle: cash counts an invoice's lines when and as far as they are paid
basis = st.segmented_control("Basis", list(BASES), default="accrual", format_func=lambda b: BASES[b],
                             key="revenue_basis") or "accrual"
frame = report("revenue-by-category", basis=basis)
if frame.empty:
    st.info(no_rows.NO_SALES)
    st.stop()


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=SETTINGS_KEY)
def compared(snapshot_identity, preset, day, settings_now, company, basis) -> periods.Comparison:
    return periods.compare(reader().cursor(), settings_now, preset, day, company, basis)


preset = st.segmented_control("Period", periods.PRESETS, default=periods.PRESETS[0], key="period_preset") \
    or periods.PRESETS[0]
owner = owner_settings()
period = compared(reader().identity(), preset, as_of(), owner, realm(), basis)
before_words = "a year earlier" if period.same_as_before() else "the period before"
st.caption(f"{period.now.text()}, against {before_words} ({period.before.text()})"
           + ("" if period.same_as_before() else f" and a year earlier ({period.year_ago.text()})"))
with st.container(horizontal=True, gap="medium"):
    for what in periods.FIGURES:
        now = period.figure(what)
        headline(periods.FIGURE_LABELS[what], money_text(now), period.lines(what),
                 delta=periods.change_text(now, period.figure(what, period.before)),
                 note=None if period.same_as_before() else
                 f"a year earlier {periods.change_text(now, period.figure(what, period.year_ago))}")
    share, target = period.share(), owner.recurring_target_percent
    share_notes = [f"{before_words} {periods.share_change_text(share, period.share(period.before))}"]
    if not period.same_as_before():
        share_notes.append(f"a year earlier {periods.share_change_text(share, period.share(period.year_ago))}")
    if part := periods.part_month_note(period.now.last, target):
        share_notes.append(part)
    headline("Recurring share", share_text(share), period.lines("labor"),
             delta=periods.against_target(share, target, period.now.last), note="; ".join(share_notes))

chart_opening_lines(charts.revenue_by_category(frame, as_of()), "revenue_chart",
                    lambda month, category: drilldown.revenue_in_month(month, category, basis=basis))
table = month_by_category_table(frame)
money = {column: st.column_config.NumberColumn(format="dollar") for column in table.columns[1:]}
table_opening_lines(table, "revenue_table", lambda row, column: drilldown.month_table_cell(row, column, basis),
                    "Revenue by month", total=TotalRow("Month", tuple(table.columns[1:]), label_text=month_text),
                    total_figure_of=lambda column: drilldown.months_table_total(table["Month"], column, basis),
                    column_config=money, wide=True)
st.caption(("Invoices and sales receipts add revenue; credit memos and refund receipts subtract it. "
            "Months by transaction date; " if basis == "accrual" else
            "Cash basis: an invoice's lines count when paid, each payment spread over them in proportion; sales "
            "receipts, refund receipts and credit memos on their dates. ")
           + "Sales tax excluded; discounts spread over the lines they reduce. Click a bar or a cell for the lines "
             "behind it.")
