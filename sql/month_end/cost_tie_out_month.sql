-- Month-end tie-out of costs: the cost lines per account for the month [$first_day, $last_day] against
-- QuickBooks' ProfitAndLoss Cost of Goods Sold, Expenses and Other Expenses, when a sync fetched it.
-- Parameters: $first_day, $last_day, $realm.
select account, section, quickbooks, ours, difference, bills, expenses, vendor_credits, journal_entries
from marts.mart_cost_tie_out
where month between $first_day and $last_day and ($realm is null or realm_id = $realm)
order by section nulls last, account
