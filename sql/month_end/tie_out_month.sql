-- Month-end tie-out to QuickBooks: income per account for the month [$first_day, $last_day] against
-- QuickBooks' ProfitAndLoss, when a sync fetched it. Parameters: $first_day, $last_day, $realm.
select account, quickbooks, ours, difference, sales_lines, journal_entries, deposits
from marts.mart_tie_out
where month between $first_day and $last_day and ($realm is null or realm_id = $realm)
order by account
