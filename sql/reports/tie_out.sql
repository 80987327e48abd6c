-- Our income per account and month against QuickBooks' ProfitAndLoss on $basis ('accrual' or 'cash'), for the
-- months a sync fetched on it; ours split into sales lines, the journal entries and deposits that post to income
-- directly, and (cash basis) the payments QuickBooks books as Unapplied Cash Payment Income.
select month, account, quickbooks, ours, difference, sales_lines, journal_entries, deposits, unapplied_payments,
    realm_id
from marts.mart_tie_out
where ($realm is null or realm_id = $realm) and basis = $basis
order by month, account
