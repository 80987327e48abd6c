-- Our cost lines per account and month against QuickBooks' ProfitAndLoss Cost of Goods Sold, Expenses and Other
-- Expenses, for the months a sync fetched; ours split into bills, expenses, vendor credits and journal entries.
-- A difference is what QuickBooks books that no entity we read carries (payroll, the cost of stock sold).
select month, account, section, quickbooks, ours, difference, bills, expenses, vendor_credits, journal_entries,
    realm_id
from marts.mart_cost_tie_out
where $realm is null or realm_id = $realm
order by month, account
