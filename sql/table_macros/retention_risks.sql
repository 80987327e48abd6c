-- The forecast's at-risk list, line by line (docs/METRICS.md, at-risk): for each client at risk and why
-- (`reason`), the lines behind it, each with `why` (the words of the client's row) and an amount that adds up to the
-- row's:
-- - paused: a paused (inactive) recurring template's agreement (labor_msa) lines, of a client with MRR in the
--   as-of month or the month before: QuickBooks was told to stop billing an agreement still running;
-- - ending: an active template's agreement lines when its schedule stops within the forecast (its end date, or
--   the date of its last occurrence when it has most occurrences, from the as-of month to the forecast's last
--   day): the agreement ends unless it is renewed;
-- - contracting: a client whose MRR was cut (mrr_movements' contractions) in the 3 full months before the as-of
--   month and is still below what it was before the first of those cuts: its MRR now (the as-of month's once
--   billed, else the last full month's) lines (+) and those of the month before the cut (−), adding up to the cut
--   still standing. A cut made good since (a one-off credit memo, a fee restored) is no risk;
-- - paying_later: the invoices the client paid in full of the 12 full months, when its days to pay weighted by
--   their money is at least slower_days more than over the 12 months before and it pays after the invoices' due
--   dates, weighted likewise (invoice_payments, as payment-behaviour counts them): a client paying later and later.
--   One paying ahead of its invoices, or within their terms, is not paying late, however its days move.
-- Files sort after the macros they read (mrr_movements, invoice_payments): table macros are made in files' order.
create or replace temp macro retention_risks(as_of, months, only_realm, slower_days) as table
with mrr as (
    select * from mrr_movements(as_of, only_realm)
),

recent_mrr as (  -- clients with MRR in the as-of month or the month before
    select distinct realm_id, client_id from mrr
    where mrr > 0 and month >= last_full_month(as_of)
),

last_month_mrr as (
    select realm_id, client_id, mrr from mrr where month = last_full_month(as_of)
),

agreement_lines as (
    select
        *,
        case interval_type when 'Monthly' then every_n when 'Yearly' then 12 * every_n end as step_months,
        case interval_type when 'Weekly' then 7 * every_n when 'Daily' then every_n end as step_days
    from marts.fct_recurring_template_lines
    where category = 'labor_msa' and client_id is not null and (only_realm is null or realm_id = only_realm)
),

template_ends as (  -- the last day an agreement template bills on: its end date, or its last occurrence's
    select
        *,
        least(end_date, case when max_occurrences is not null and start_date is not null then
            coalesce((start_date + to_months(((max_occurrences - 1) * step_months)::integer))::date,
                     (start_date + to_days(((max_occurrences - 1) * step_days)::integer))::date) end) as ends_on,
        interval_type || ' every ' || every_n as schedule
    from agreement_lines
),

template_parts as (
    select
        case when is_active then 'ending' else 'paused' end as reason, realm_id, client_id, client, customer,
        item, category, rule, rule_pattern, 'Recurring ' || template_type as document_type,
        template_id as document_id, template_name as doc_number, coalesce(next_date, previous_date) as txn_date,
        case when is_active
             then template_name || ' (' || schedule || ') ends ' || strftime(ends_on, '%d %b %Y')
                  || case when ends_on = end_date then ': its end date'
                          else ': its last of ' || max_occurrences || ' occurrences' end
             else template_name || ' (' || schedule || ') paused' end as why,
        case when is_active then 'billed each occurrence until ' || strftime(ends_on, '%d %b %Y')
             else 'billed each occurrence, paused' end as detail,
        amount, ends_on
    from template_ends
    where (not is_active and (realm_id, client_id) in (select (realm_id, client_id) from recent_mrr))
       or (is_active and ends_on between date_trunc('month', as_of::date)
                                     and (date_trunc('month', as_of::date) + to_months(months + 1))::date - 1)
),

mrr_now as (  -- what a client pays a month now: the as-of month's MRR once billed by the as-of date, else the last
    -- full month's (a cut restored on the 1st is made good, though the last full month still shows it)
    select distinct on (realm_id, client_id) realm_id, client_id, month as now_month, mrr as now_mrr
    from mrr
    where month = last_full_month(as_of) or (month = date_trunc('month', as_of::date) and mrr > 0)
    order by realm_id, client_id, month desc
),

contractions as (
    select realm_id, client_id, month, delta, previous_mrr from mrr
    where movement = 'contraction' and month between (last_full_month(as_of) - interval 2 month)::date
                                                 and last_full_month(as_of)
      and (realm_id, client_id) in (select (realm_id, client_id) from last_month_mrr where mrr > 0)
),

standing_cuts as (  -- MRR now against MRR before the 3 months' first cut: only a cut not made good since is a risk
    select
        realm_id, client_id, now_month, now_mrr, min(month) as first_cut_month,
        arg_min(previous_mrr, month) as mrr_before_cut,
        'MRR cut by ' || string_agg((-delta)::varchar || ' in ' || strftime(month, '%b %Y'), ' and ' order by month)
            || ', still ' || (arg_min(previous_mrr, month) - now_mrr)::decimal(18, 2) || ' below' as why
    from contractions
    join mrr_now using (realm_id, client_id)
    group by realm_id, client_id, now_month, now_mrr
    having now_mrr < arg_min(previous_mrr, month)
),

contraction_parts as (
    select
        'contracting' as reason, lines.realm_id, lines.client_id, lines.client, lines.customer, lines.item,
        lines.category, lines.rule, lines.rule_pattern, lines.document_type, lines.document_id, lines.doc_number,
        lines.txn_date, cuts.why,
        case when lines.month = cuts.now_month then 'MRR of ' || strftime(lines.month, '%b %Y') || ', now'
             else 'less MRR of ' || strftime(lines.month, '%b %Y') || ', before the cut' end as detail,
        case when lines.month = cuts.now_month then lines.amount else -lines.amount end::decimal(18, 2) as amount,
        null::date as ends_on
    from standing_cuts as cuts
    join marts.fct_mrr_lines as lines
        on lines.realm_id = cuts.realm_id and lines.client_id = cuts.client_id
        and lines.month in (cuts.now_month, (cuts.first_cut_month - interval 1 month)::date)
        and lines.txn_date <= as_of::date
),

paid as (
    select * from invoice_payments(as_of::date, only_realm, null, []::varchar[])
    where document_type = 'Invoice' and paid_on is not null
),

speeds as (  -- each client's days to pay weighted by the invoices' money, the 12 full months and the 12 before, and
    -- the money-days past the due dates of the 12 full months (the days it was given: its terms, else none)
    select
        realm_id, client_id,
        round(exact_ratio(sum(total_amount * days_to_pay) filter (where period = 'latest'),
                          sum(total_amount) filter (where period = 'latest')), 1)::decimal(9, 1) as days_to_pay,
        round(exact_ratio(sum(total_amount * days_to_pay) filter (where period = 'previous'),
                          sum(total_amount) filter (where period = 'previous')), 1)::decimal(9, 1)
            as previous_days_to_pay,
        sum(total_amount * date_diff('day', due_on, paid_on)) filter (where period = 'latest') as money_days_late,
        round(exact_ratio(money_days_late, sum(total_amount) filter (where period = 'latest')), 1)::decimal(9, 1)
            as days_past_due
    from paid
    group by all
),

slower as (  -- slower by slower_days, and late: a client paying ahead or within its terms is not paying late
    select *, 'paid in ' || days_to_pay || ' days on average (by money), ' || previous_days_to_pay
                  || ' the 12 months before; ' || days_past_due || ' days past the due date' as why
    from speeds
    where days_to_pay - previous_days_to_pay >= slower_days and money_days_late > 0
),

paying_parts as (
    select
        'paying_later' as reason, paid.realm_id, paid.client_id, customers.client, customers.customer,
        null as item, null as category, null as rule, null as rule_pattern, paid.document_type, paid.document_id,
        paid.doc_number, paid.txn_date, slower.why,
        'invoiced ' || strftime(paid.txn_date, '%Y-%m-%d') || ', paid in full ' || strftime(paid.paid_on, '%Y-%m-%d')
            || ' (' || paid.days_to_pay || ' days)' as detail,
        paid.total_amount::decimal(18, 2) as amount, null::date as ends_on
    from paid
    join slower using (realm_id, client_id)
    left join marts.dim_customers as customers using (realm_id, customer_id)
    where paid.period = 'latest'
)

select parts.*, coalesce(last_month_mrr.mrr, 0)::decimal(18, 2) as mrr, slower.days_to_pay,
    slower.previous_days_to_pay
from (
    select * from template_parts
    union all by name select * from contraction_parts
    union all by name select * from paying_parts
) as parts
left join last_month_mrr using (realm_id, client_id)
left join slower on slower.realm_id = parts.realm_id and slower.client_id = parts.client_id
    and parts.reason = 'paying_later';
