"""The figures' words, once each: the receivables aging buckets and the MRR movements, each code with the
name people read and its colour, in the order every page, chart, printout, workbook and report lists them
(as models/settings/categories.py keeps the categories)."""
from __future__ import annotations

# The aging buckets, youngest first: code -> (name, colour). Past due is every bucket but the first.
AGING = {
    "current": ("Current", "#1f6f8b"),
    "days_1_30": ("1–30 days", "#67a9cf"),
    "days_31_60": ("31–60 days", "#e9c46a"),
    "days_61_90": ("61–90 days", "#f4a261"),
    "days_90_plus": ("Over 90 days", "#d62828"),
}
AGING_BUCKETS = tuple(AGING)
PAST_DUE_BUCKETS = AGING_BUCKETS[1:]
AGING_LABELS = {code: name for code, (name, _) in AGING.items()}
AGING_COLORS = {code: color for code, (_, color) in AGING.items()}
# What the aging adds up after its buckets: code -> (short header, the name that says what it holds).
# Total is the open invoices (the gross aging); credits are netted as QuickBooks' A/R Aging Summary does.
AGING_TOTALS = {
    "total": ("Total", "Total"),
    "credits": ("Credits", "Credits (unapplied, credit memos)"),
    "net": ("Net", "Net (QuickBooks' A/R)"),
}
AGING_COLUMNS = AGING_BUCKETS + tuple(AGING_TOTALS)  # the aging table's money columns, in order
AGING_FIGURES = AGING_BUCKETS + ("past_due",) + tuple(AGING_TOTALS)  # what a receivables figure may be

# The MRR movements (mrr --summary's columns), in the order they are shown: code -> (name, colour).
MOVEMENTS = {
    "new": ("New", "#2a9d8f"),
    "expansion": ("Expansion", "#8ab17d"),
    "reactivation": ("Reactivation", "#1f6f8b"),
    "contraction": ("Contraction", "#f4a261"),
    "churn": ("Churn", "#d62828"),
    "adjustment": ("Adjustment", "#8d99ae"),
}
MRR_MOVEMENTS = tuple(MOVEMENTS)
MOVEMENT_LABELS = {code: name for code, (name, _) in MOVEMENTS.items()}
MOVEMENT_COLORS = {code: color for code, (_, color) in MOVEMENTS.items()}
GROWTH = ("new", "expansion", "reactivation")  # what adds to MRR
LOSS = ("contraction", "churn")  # what takes from it
# the movements that are neither, with what they hold (docs/METRICS.md#mrr), where a printout lists them
OTHER_MOVEMENTS = {"adjustment": "months without MRR"}

# Where the forecast's committed MRR comes from (report lines --kind forecast:SOURCE), in the order it is shown:
# code -> (name, colour, report forecast's column) (docs/METRICS.md, forecast).
FORECAST_SOURCES = {
    "template": ("From recurring templates", "#1f6f8b", "from_templates"),
    "billed": ("Billed ahead", "#67a9cf", "billed_ahead"),
    "carried": ("Carried forward, no template", "#e9c46a", "carried"),
}
FORECAST_LABELS = {code: name for code, (name, _, _) in FORECAST_SOURCES.items()}
FORECAST_COLORS = {code: color for code, (_, color, _) in FORECAST_SOURCES.items()}
FORECAST_COLUMNS = {column: code for code, (_, _, column) in FORECAST_SOURCES.items()}

# Why a client is on the forecast's at-risk list (report at-risk's `reason`, report lines --kind at-risk:REASON), in
# the order the list is read: code -> the name people read (docs/METRICS.md, at-risk).
AT_RISK_REASONS = {
    "paused": "Agreement template paused",
    "ending": "Agreement template ending",
    "contracting": "MRR cut back",
    "paying_later": "Paying later and later",
}

# What a margin line counts as (report lines --kind margin:COLUMN's category), beside the revenue categories'
# names: code -> the name people read (docs/METRICS.md, margin).
MARGIN_PART_LABELS = {
    "labor_covered": "Labor the agreement covers",
    "labor_billed": "Labor billed hourly",
    "labor_unbilled": "Labor not billed, outside an agreement",
    "tools": "Tools on its devices",
    "direct_hardware_software": "Hardware and software cost",
    "direct_other": "Other direct cost",
    "overhead": "Overhead",
}

# The playbook's payment rules (report policies' columns, each a count of breaches with its money in the column
# ending in _amount; report lines --kind policies:COLUMN's category), in the order shown: code -> the name people
# read (docs/METRICS.md, policies).
POLICY_LABELS = {
    "hardware_unpaid_at_invoice": "Hardware and software invoiced unpaid",
    "agreement_paid_late": "Agreement months paid late",
    "hourly_terms_not_net20": "Hourly invoices on other terms",  # than [policies] hourly_net_days (net 20)
    "hourly_paid_late": "Hourly invoices paid late",
    "finance_charges_due": "Finance charges due",
    "finance_charges_invoiced": "Finance charges invoiced",
}

# Why a client's document is still an outstanding billing issue (sql/reports/billing_issues.sql's `reasons`, the
# sit-down owner's copy's box), in the order a document's reasons are named
BILLING_ISSUE_LABELS = {
    "past_due": "Open past due",
    "hardware_unpaid": "Hardware and software unpaid",
    "agreement_unpaid": "Agreement months unpaid",
    "finance_not_invoiced": "Finance charges not invoiced",
}
