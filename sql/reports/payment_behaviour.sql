-- Report payment-behaviour: per client (jobs rolled up), how it paid the invoices dated in the 12 full months
-- before $as_of's month (docs/METRICS.md, payment behaviour): how many and how much, those paid in full by $as_of
-- and the days that took (average per invoice, and weighted by the invoice's amount), those paid by their due
-- date against those late, the same figures for the 12 months before (the trend), the payment methods used,
-- autopay inferred, whether an active recurring template bills it, and what is overdue now: open invoices past
-- their due date, the most days late, and `late_payer` when that is more than $late_days. Latest payers first.
-- Parameters: $as_of, $realm, $client, $card_methods (lower case), $late_days.
with documents as (
    select * from invoice_payments($as_of::date, $realm, $client, $card_methods::varchar[])
),

periods as (  -- invoices' figures; methods and autopay of invoices and sales receipts alike
    select
        realm_id, client_id, period,
        count(*) filter (where is_invoice) as invoices,
        coalesce(sum(total_amount) filter (where is_invoice), 0) as invoiced,
        count(*) filter (where is_invoice and paid_on is not null) as paid,
        coalesce(sum(total_amount) filter (where is_invoice and paid_on is not null), 0) as paid_amount,
        round(exact_ratio(sum(days_to_pay) filter (where is_invoice),
                          count(paid_on) filter (where is_invoice)), 1)::decimal(9, 1) as average_days_to_pay,
        round(exact_ratio(sum(total_amount * days_to_pay) filter (where is_invoice),
                          sum(total_amount) filter (where is_invoice and paid_on is not null)), 1)::decimal(9, 1)
            as weighted_days_to_pay,
        count(*) filter (where is_invoice and counted and on_time) as paid_by_due,
        coalesce(sum(total_amount) filter (where is_invoice and counted and on_time), 0) as paid_by_due_amount,
        count(*) filter (where is_invoice and counted and not on_time) as late,
        coalesce(sum(total_amount) filter (where is_invoice and counted and not on_time), 0) as late_amount,
        exact_ratio(count(*) filter (where is_invoice and counted and on_time),
                    count(*) filter (where is_invoice and counted)) as paid_by_due_share,
        list_sort(list_distinct(flatten(list(payment_methods)))) as payment_methods,
        count(*) filter (where autopay) as autopay_documents,
        -- on autopay now: the latest document paid in full was paid so
        arg_max(autopay, (txn_date, document_type, document_id)) filter (where paid_on is not null) as autopay
    from (select *, document_type = 'Invoice' as is_invoice from documents)
    group by all
),

latest as (
    select * from periods where period = 'latest'
),

previous as (
    select * from periods where period = 'previous'
),

overdue as (  -- open invoices (and debts entered to A/R) past their due date on $as_of
    select realm_id, client_id, count(*) as overdue, sum(open_balance) as overdue_amount,
        max(days_past_due) as days_late
    from open_invoices($as_of::date, $realm)
    where open_balance > 0 and days_past_due > 0 and ($client is null or client_id = $client)
    group by all
),

templates as (  -- clients an active recurring template bills (one that has not ended)
    select distinct realm_id, client_id
    from marts.fct_recurring_templates
    where is_active and sign > 0 and (end_date is null or end_date >= $as_of::date)
),

clients as (
    select realm_id, client_id from periods
    union
    select realm_id, client_id from overdue
),

names as (
    select realm_id, client_id, any_value(client) as client from marts.dim_customers group by all
)

select
    clients.client_id,
    names.client,
    coalesce(latest.invoices, 0) as invoices,
    coalesce(latest.invoiced, 0)::decimal(18, 2) as invoiced,
    coalesce(latest.paid, 0) as paid,
    coalesce(latest.paid_amount, 0)::decimal(18, 2) as paid_amount,
    latest.average_days_to_pay,
    latest.weighted_days_to_pay,
    coalesce(latest.paid_by_due, 0) as paid_by_due,
    coalesce(latest.paid_by_due_amount, 0)::decimal(18, 2) as paid_by_due_amount,
    coalesce(latest.late, 0) as late,
    coalesce(latest.late_amount, 0)::decimal(18, 2) as late_amount,
    latest.paid_by_due_share,
    previous.average_days_to_pay as previous_average_days_to_pay,
    previous.weighted_days_to_pay as previous_weighted_days_to_pay,
    previous.paid_by_due_share as previous_paid_by_due_share,
    coalesce(latest.payment_methods, []::varchar[]) as payment_methods,
    coalesce(latest.autopay_documents, 0) as autopay_documents,
    coalesce(latest.autopay, false) as autopay,
    templates.client_id is not null as recurring_template,
    coalesce(overdue.overdue, 0) as overdue,
    coalesce(overdue.overdue_amount, 0)::decimal(18, 2) as overdue_amount,
    coalesce(overdue.days_late, 0) as days_late,
    coalesce(overdue.days_late, 0) > $late_days as late_payer,
    clients.realm_id
from clients
left join latest using (realm_id, client_id)
left join previous using (realm_id, client_id)
left join overdue using (realm_id, client_id)
left join templates using (realm_id, client_id)
left join names using (realm_id, client_id)
order by late_payer desc, days_late desc, latest.weighted_days_to_pay desc nulls last, names.client, clients.client_id
