-- Months and income accounts where our revenue differs from QuickBooks' ProfitAndLoss, on either basis (zero rows
-- pass; only months whose report a sync fetched on that basis are compared).
select realm_id, basis, month, account, quickbooks, ours, difference
from marts.mart_tie_out
where difference <> 0
