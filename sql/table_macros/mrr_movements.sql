-- MRR per client and month up to as_of's month, from the agreement lines dated by as_of (an invoice
-- dated after as_of is not in it, whatever month it serves: as revenue, the as-of month is month to
-- date), with its movement against the month before:
-- new (first MRR ever), reactivation (MRR again after a month without), expansion, contraction,
-- churn (MRR to none), adjustment (a change between months without MRR: a month's credits beyond
-- its agreement revenue make it negative, and the next month's zero undoes that), none.
-- delta = mrr - previous month's mrr, so the deltas of a month add up to the change in total MRR,
-- negative months included. A client "has MRR" in a month when its MRR is above zero.
create or replace temp macro mrr_movements(as_of, only_realm) as table
with mrr as (  -- each client's MRR per month, of the lines dated by as_of
    select realm_id, client_id, any_value(client) as client, month, sum(amount)::decimal(18, 2) as mrr
    from marts.fct_mrr_lines
    where month <= date_trunc('month', as_of::date) and txn_date <= as_of::date
      and (only_realm is null or realm_id = only_realm)
    group by realm_id, client_id, month
),

clients as (
    select realm_id, client_id, any_value(client) as client, min(month) as first_month
    from mrr
    group by all
),

grid as (
    select realm_id, client_id, client,
        unnest(generate_series(first_month, date_trunc('month', as_of::date), interval 1 month))::date as month
    from clients
),

filled as (
    select grid.*, coalesce(mrr.mrr, 0)::decimal(18, 2) as mrr
    from grid
    left join mrr using (realm_id, client_id, month)
),

compared as (
    select
        *,
        coalesce(lag(mrr) over client_months, 0)::decimal(18, 2) as previous_mrr,
        coalesce(bool_or(mrr > 0) over (client_months rows between unbounded preceding and 1 preceding), false)
            as had_mrr_before
    from filled
    window client_months as (partition by realm_id, client_id order by month)
)

select
    month,
    realm_id,
    client_id,
    client,
    mrr,
    previous_mrr,
    case
        when mrr > 0 and previous_mrr <= 0 and not had_mrr_before then 'new'
        when mrr > 0 and previous_mrr <= 0 then 'reactivation'
        when mrr <= 0 and previous_mrr > 0 then 'churn'
        when mrr > previous_mrr and previous_mrr > 0 then 'expansion'
        when mrr < previous_mrr and mrr > 0 then 'contraction'
        when mrr <> previous_mrr then 'adjustment'
        else 'none'
    end as movement,
    (mrr - previous_mrr)::decimal(18, 2) as delta
from compared;
