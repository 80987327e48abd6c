-- Months and income accounts where our revenue differs from QuickBooks' ProfitAndLoss (zero rows pass;
-- only months whose report a sync fetched are compared).
select realm_id, month, account, quickbooks, ours, difference
from marts.mart_tie_out
where difference <> 0
