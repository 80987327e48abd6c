-- Report mrr --summary: per month, the MRR at the start (last month's), each movement's total and
-- the MRR at the end; start + movements (adjustment included) = end. Parameters: $as_of, $realm.
with movements as (
    select * from mrr_movements($as_of, $realm)
)

select
    month,
    sum(previous_mrr)::decimal(18, 2) as starting_mrr,
    coalesce(sum(delta) filter (where movement = 'new'), 0)::decimal(18, 2) as new,
    coalesce(sum(delta) filter (where movement = 'expansion'), 0)::decimal(18, 2) as expansion,
    coalesce(sum(delta) filter (where movement = 'contraction'), 0)::decimal(18, 2) as contraction,
    coalesce(sum(delta) filter (where movement = 'churn'), 0)::decimal(18, 2) as churn,
    coalesce(sum(delta) filter (where movement = 'reactivation'), 0)::decimal(18, 2) as reactivation,
    coalesce(sum(delta) filter (where movement = 'adjustment'), 0)::decimal(18, 2) as adjustment,
    sum(mrr)::decimal(18, 2) as mrr,
    count(*) filter (where mrr > 0) as clients
from movements
group by month
order by month
