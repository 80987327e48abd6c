-- Report prepayments --schedule: of the liability as of $as_of, how much becomes revenue in each
-- coming month (by the month its service starts); unapplied payments and credits, which no invoice
-- says the month of yet, in one row with no month. Parameters: $as_of, $realm.
select
    date_trunc('month', earn_date)::date as month,
    sum(amount)::decimal(18, 2) as amount
from prepaid_position($as_of::date)
where $realm is null or realm_id = $realm
group by 1
order by month nulls last
