-- Roll-forward of the liability accounts that deposit or retainer items post to, for the month
-- [$first_day, $last_day]: opening + received (lines +) - applied (lines -) = closing, from the sales
-- lines to each account (fct_other_sales_lines, posting 'liability'). Parameters: $first_day, $last_day,
-- $realm.
with lines as (
    select * from marts.fct_other_sales_lines
    where posting = 'liability' and txn_date <= $last_day and ($realm is null or realm_id = $realm)
)

select
    coalesce(income_account, income_account_id) as account,
    coalesce(sum(amount) filter (where txn_date < $first_day), 0)::decimal(18, 2) as opening,
    coalesce(sum(amount) filter (where txn_date >= $first_day and amount > 0), 0)::decimal(18, 2) as received,
    coalesce(-sum(amount) filter (where txn_date >= $first_day and amount < 0), 0)::decimal(18, 2) as applied,
    sum(amount)::decimal(18, 2) as closing
from lines
group by all
order by account
