-- Month-end tie-out to QuickBooks: income per account for the month [$first_day, $last_day] against
-- QuickBooks' ProfitAndLoss on $basis (the workbook's, [reports] basis), when a sync fetched it.
-- Parameters: $first_day, $last_day, $realm, $basis.
select account, quickbooks, ours, difference, sales_lines, journal_entries, deposits, unapplied_payments
from marts.mart_tie_out
where month between $first_day and $last_day and ($realm is null or realm_id = $realm) and basis = $basis
order by account
