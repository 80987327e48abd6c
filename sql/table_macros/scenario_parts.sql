-- Each part of the forecast a what-if scenario can move, before (base_amount) and after it (scenario_amount), per
-- month after as_of's month (docs/METRICS.md#what-ifs); `what_if` names the change that moved it, null when none:
-- - figure mrr: each part of committed MRR (mrr_forecast_parts); a weeded client's are 0 from its month, a signed
--   client's are replaced by its tier's fee from its month, and a raise of the tiers takes template and carried
--   parts up by raise_tiers percent from raise_from, save the months invoiced before it at the old price: a
--   document billed ahead, and a template occurrence dated before raise_from (a quarter billed on 1 December
--   keeps its February); a carried part is billed by hand in its own month;
--   a signed client's fee is a part of its own (base 0), raised as well;
-- - figure hourly: each client's hourly run-rate (hourly_run_rates, the cash forecast's too): a weeded client's 0
--   from its month, a signed client's the share of it its tier would not have covered or whose scope is unknown
--   (hourly_12m of the 12 months' hourly_paid_12m: the tier what-if knows the work's scope over 12 months), and then
--   raise_hourly percent more from raise_from;
-- - figure setup_fee: a signed client's setup fee in its first month (base 0): cash, not MRR.
-- `changes` names the relation of the scenario's clients: realm_id, client_id, client, change ('weed' or 'sign'),
-- tier, monthly, setup_fee, hourly_12m, hourly_paid_12m, from_month. Raises and fees to the cent, half away from zero (exact_share).
create or replace temp macro scenario_parts(as_of, months, only_realm, raise_tiers, raise_hourly, raise_from,
                                            changes) as table
with horizon as (
    select month from forecast_months(as_of, months)
),

changed as (
    select * from query_table(changes)
    where only_realm is null or realm_id = only_realm
),

committed as (
    select * from mrr_forecast_parts(as_of, months, only_realm)
),

mrr_parts as (
    select
        committed.month, 'mrr' as figure, committed.source, committed.realm_id, committed.client_id,
        committed.client, committed.customer, committed.item, committed.category, committed.rule,
        committed.rule_pattern, committed.document_type, committed.document_id, committed.doc_number,
        committed.txn_date, committed.detail, committed.amount as base_amount,
        case when changed.change is not null and committed.month >= changed.from_month then changed.change
             when raise_tiers <> 0 and committed.month >= raise_from and committed.source <> 'billed'
                  and coalesce(committed.txn_date, committed.month) >= raise_from then 'raise'
        end as what_if
    from committed
    left join changed on changed.realm_id = committed.realm_id and changed.client_id = committed.client_id
),

signed_fees as (
    select
        horizon.month, 'mrr' as figure, 'signed' as source, changed.realm_id, changed.client_id, changed.client,
        changed.client as customer, null as item, 'labor_msa' as category, null as rule, null as rule_pattern,
        null as document_type, null as document_id, null as doc_number, null::date as txn_date,
        'signs ' || changed.tier || ' from ' || strftime(changed.from_month, '%b %Y') || ': '
            || changed.monthly || ' a month' as detail,
        0::decimal(18, 2) as base_amount,
        'sign' as what_if,
        changed.monthly
    from changed, horizon
    where changed.change = 'sign' and horizon.month >= changed.from_month
),

setup_fees as (
    select
        changed.from_month as month, 'setup_fee' as figure, 'signed' as source, changed.realm_id, changed.client_id,
        changed.client, changed.client as customer, null as item, 'other' as category, null as rule,
        null as rule_pattern, null as document_type, null as document_id, null as doc_number, null::date as txn_date,
        'setup fee of ' || changed.tier || ', billed in its first month' as detail,
        0::decimal(18, 2) as base_amount, 'sign' as what_if, changed.setup_fee as scenario_amount
    from changed
    where changed.change = 'sign' and changed.from_month in (select month from horizon)
),

hourly_parts as (
    select
        horizon.month, 'hourly' as figure, 'run_rate' as source, rates.realm_id, rates.client_id, rates.client,
        rates.client as customer, null as item, 'labor_hourly' as category, null as rule, null as rule_pattern,
        null as document_type, null as document_id, null as doc_number, null::date as txn_date,
        'hourly run-rate: a third of ' || rates.hourly_3m || ' hourly labor of ' || strftime(rates.first_month, '%b')
            || ' – ' || strftime(rates.last_month, '%b %Y')
            || case when changed.change = 'sign' and horizon.month >= changed.from_month
                    then '; under ' || changed.tier || ' the share of it not covered: ' || changed.hourly_12m
                         || ' of ' || changed.hourly_paid_12m || ' over the 12 full months'
                    else '' end as detail,
        rates.run_rate as base_amount,
        case when changed.change is not null and horizon.month >= changed.from_month then changed.change
             when raise_hourly <> 0 and horizon.month >= raise_from then 'raise'
        end as what_if,
        case when changed.change = 'sign' and horizon.month >= changed.from_month
             then exact_share(rates.run_rate, changed.hourly_12m, changed.hourly_paid_12m) end as signed_amount
    from hourly_run_rates(as_of, only_realm) as rates
    cross join horizon
    left join changed on changed.realm_id = rates.realm_id and changed.client_id = rates.client_id
)

select *, (scenario_amount - base_amount)::decimal(18, 2) as change from (
    select
        * exclude (what_if), what_if,
        case what_if when 'weed' then 0 when 'sign' then 0 when 'raise' then exact_share(base_amount, 100 + raise_tiers, 100)
             else base_amount end::decimal(18, 2) as scenario_amount
    from mrr_parts
    union all by name
    select
        * exclude (monthly),
        case when raise_tiers <> 0 and month >= raise_from then exact_share(monthly, 100 + raise_tiers, 100)
             else monthly end::decimal(18, 2) as scenario_amount
    from signed_fees
    union all by name
    select * from setup_fees
    union all by name
    select
        * exclude (signed_amount),
        case when what_if = 'weed' then 0
             when raise_hourly <> 0 and month >= raise_from
                 then exact_share(coalesce(signed_amount, base_amount), 100 + raise_hourly, 100)
             else coalesce(signed_amount, base_amount) end::decimal(18, 2) as scenario_amount
    from hourly_parts
);
