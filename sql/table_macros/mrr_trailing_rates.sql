-- The MRR movements of the 12 full months before as_of's month, as monthly rates of the MRR they started
-- from: each movement's total over the 12 months divided by the MRR the clients started those months with
-- (the sum of the months' starting MRR), to 6 places (exact_ratio). Churn and contraction are negative,
-- expansion positive; `net_rate` is the three together, what the expected forecast applies each month.
-- New business and reactivations are left out: the forecast does not know who will sign.
create or replace temp macro mrr_trailing_rates(as_of, only_realm) as table
with movements as (
    select * from mrr_movements(as_of, only_realm)
    where month between first_full_month(as_of) and last_full_month(as_of)
),

totals as (
    select
        coalesce(sum(previous_mrr), 0)::decimal(18, 2) as starting_mrr,
        coalesce(sum(delta) filter (where movement = 'churn'), 0)::decimal(18, 2) as churn,
        coalesce(sum(delta) filter (where movement = 'contraction'), 0)::decimal(18, 2) as contraction,
        coalesce(sum(delta) filter (where movement = 'expansion'), 0)::decimal(18, 2) as expansion
    from movements
)

select
    *,
    coalesce(exact_ratio(churn, starting_mrr), 0) as churn_rate,
    coalesce(exact_ratio(contraction, starting_mrr), 0) as contraction_rate,
    coalesce(exact_ratio(expansion, starting_mrr), 0) as expansion_rate,
    coalesce(exact_ratio(churn + contraction + expansion, starting_mrr), 0) as net_rate
from totals;
