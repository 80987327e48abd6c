-- The factor expected MRR applies to committed MRR `ahead` months after as_of's month: (1 + net_rate)^ahead, the
-- trailing 12 full months' churn, contraction and expansion (mrr_trailing_rates, beside it on each row) compounded a
-- month at a time, each step to 12 places. The forecast and its what-ifs (forecast_scenario) read it, so both
-- expect alike.
create or replace temp macro expected_factors(as_of, months, only_realm) as table
with recursive
rates as materialized (  -- once, not again at each step of the recursion
    select * from mrr_trailing_rates(as_of, only_realm)
),

factors as (
    select 0 as ahead, 1::decimal(38, 12) as factor
    union all
    select factors.ahead + 1, round(factors.factor * (1 + rates.net_rate), 12)::decimal(38, 12)
    from factors, rates
    where factors.ahead < months
)

select factors.ahead, factors.factor, rates.* from factors, rates;
