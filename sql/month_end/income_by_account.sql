-- Month-end income per income account (what QuickBooks' ProfitAndLoss shows per account), from our
-- revenue lines dated in [$first_day, $last_day]. Parameters: $first_day, $last_day, $realm.
select
    coalesce(income_account, '(no account)') as income_account,
    sum(amount)::decimal(18, 2) as amount
from marts.fct_revenue_lines
where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
group by 1
order by 1
