-- Our income per account and month against QuickBooks' ProfitAndLoss, for the months a sync fetched;
-- ours split into sales lines and the journal entries and deposits that post to income directly.
select month, account, quickbooks, ours, difference, sales_lines, journal_entries, deposits, realm_id
from marts.mart_tie_out
where $realm is null or realm_id = $realm
order by month, account
