-- Committed MRR of each of the `months` months after as_of's month, part by part (docs/METRICS.md, Forecast):
-- - template: an active recurring template's agreement (labor_msa) lines, at every date its schedule bills
--   (billing_dates), each occurrence spread over the months it bills for (a quarterly template's
--   invoice counts a third in each of its three months, the odd cents in the first; a weekly or daily one in
--   its own month); a paused template bills nothing;
-- - billed: for a client with no agreement template (active or paused), the agreement lines dated by as_of that
--   already count in the month (the months a check prepaid, a year billed ahead: fct_mrr_lines);
-- - carried: for a client with no agreement template and nothing billed for the month, its MRR of the as-of
--   month (when above zero) carried forward: agreements billed by hand.
create or replace temp macro mrr_forecast_parts(as_of, months, only_realm) as table
with horizon as (
    select month from forecast_months(as_of, months)
),

agreement_template_lines as (
    select * from marts.fct_recurring_template_lines
    where category = 'labor_msa' and client_id is not null and (only_realm is null or realm_id = only_realm)
),

occurrences as (  -- each active template's agreement lines at each date it bills that can reach the horizon
    select lines.*, dates.billed_on, dates.span, (lines.amount * 100)::hugeint as cents
    from billing_dates(
        (date_trunc('month', as_of::date) + to_months(months + 1))::date - 1, only_realm) as dates
    join agreement_template_lines as lines using (realm_id, template_id)
),

template_parts as (
    select
        (date_trunc('month', billed_on) + to_months(step))::date as month,
        'template' as source, realm_id, client_id, client, customer, item, category, rule, rule_pattern,
        'Recurring ' || template_type as document_type, template_id as document_id, template_name as doc_number,
        billed_on as txn_date,
        interval_type || ' every ' || every_n || ', billed ' || strftime(billed_on, '%d %b %Y')
            || case when span > 1 then ', month ' || (step + 1) || ' of ' || span else '' end as detail,
        (spread_cents(cents, span, step) / 100)::decimal(18, 2) as amount
    from occurrences, range(span) as steps(step)
    where (date_trunc('month', billed_on) + to_months(step))::date in (select month from horizon)
),

templated as (  -- a paused template's client too: QuickBooks was told to stop billing it
    select distinct realm_id, client_id from agreement_template_lines
),

untemplated_lines as (
    select * from marts.fct_mrr_lines as lines
    where txn_date <= as_of::date and (only_realm is null or realm_id = only_realm)
      and not exists (select 1 from templated where templated.realm_id = lines.realm_id
                                                 and templated.client_id = lines.client_id)
),

billed_parts as (
    select
        month, 'billed' as source, realm_id, client_id, client, customer, item, category, rule, rule_pattern,
        document_type, document_id, doc_number, txn_date,
        case when months > 1 then 'billed ahead: ' || strftime(month, '%b %Y') || ', month '
                                  || (date_diff('month', first_month, month) + 1) || ' of ' || months
             else 'billed ahead: service ' || strftime(month, '%b %Y') end as detail,
        amount
    from untemplated_lines
    where month in (select month from horizon)
),

run_rates as (  -- each untemplated client's MRR of the as-of month, when above zero
    select realm_id, client_id, any_value(client) as client, month, sum(amount)::decimal(18, 2) as mrr
    from untemplated_lines
    where month = date_trunc('month', as_of::date)::date
    group by realm_id, client_id, month
    having sum(amount) > 0
),

carried_parts as (
    select
        horizon.month, 'carried' as source, run_rates.realm_id, run_rates.client_id, run_rates.client,
        run_rates.client as customer, null as item, 'labor_msa' as category, null as rule, null as rule_pattern,
        null as document_type, null as document_id, null as doc_number, null::date as txn_date,
        'MRR of ' || strftime(run_rates.month, '%b %Y') || ' carried forward: no recurring template' as detail,
        run_rates.mrr as amount
    from run_rates, horizon
    where not exists (select 1 from billed_parts where billed_parts.realm_id = run_rates.realm_id
                        and billed_parts.client_id = run_rates.client_id and billed_parts.month = horizon.month)
)

select * from template_parts
union all
select * from billed_parts
union all
select * from carried_parts;
