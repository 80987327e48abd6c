-- Our income per account and month against QuickBooks' ProfitAndLoss, for the months a sync fetched.
select month, account, quickbooks, ours, difference, realm_id
from marts.mart_tie_out
where $realm is null or realm_id = $realm
order by month, account
