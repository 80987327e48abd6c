-- What comes in between the day after as_of and last_day, part by part, each on the day it is expected
-- (docs/METRICS.md, forecast --cash):
-- - recurring_billing: what each active recurring template bills (its total, tax included; a credit memo's or
--   refund's taken off) on each date its schedule bills after as_of (billing_dates): a card charged on the day,
--   a check for a quarter when the quarter's invoice is made;
-- - receivables: each invoice open on as_of (open_invoices; credits are not money coming in) on the day its
--   client pays, by the client's history: the invoice's date plus the days the client took to pay its invoices
--   over the 12 months to as_of (a day-weighted average of the money paid on or after their date, to the day),
--   else its due date; one
--   expected by as_of already (late) is expected the day after;
-- - hourly_run_rate: hourly work still to be invoiced, at each client's run-rate (hourly_run_rates: a third of its
--   hourly labor of the 3 full months a month), taken as invoiced on the last day of each month from the as-of
--   month on (the as-of month's less what is invoiced of it by as_of, never below zero) and paid by the client's
--   days to pay, as receivables, else on net_days (the playbook's hourly terms);
-- - becomes_revenue: the prepaid money (prepaid_position) that becomes revenue on the day its month starts: not
--   cash (it came in already), what the liability turns into.
create or replace temp macro cash_forecast_parts(as_of, last_day, only_realm, net_days) as table
with customers as (
    select realm_id, customer_id, customer, client_id, client from marts.dim_customers
),

recurring_billing as (
    select
        dates.billed_on as day, 'recurring_billing' as source, templates.realm_id, templates.client_id,
        templates.client, templates.customer, 'Recurring ' || templates.template_type as document_type,
        templates.template_id as document_id, templates.template_name as doc_number, dates.billed_on as txn_date,
        templates.interval_type || ' every ' || templates.every_n || ', billed ' || strftime(dates.billed_on, '%d %b %Y')
            as detail,
        (templates.sign * templates.total_amount)::decimal(18, 2) as amount
    from billing_dates(last_day, only_realm) as dates
    join marts.fct_recurring_templates as templates using (realm_id, template_id)
    where dates.billed_on > as_of::date
),

paid_invoices as (  -- the money paid towards invoices in the 12 months to as_of, with the days it took
    select
        documents.realm_id,
        coalesce(customers.client_id, documents.customer_id) as client_id,
        (payments.amount * 100)::hugeint as cents,
        date_diff('day', documents.txn_date, payments.paid_on) as days
    from marts.fct_document_payments as payments
    join marts.fct_sales_documents as documents using (realm_id, document_type, document_id)
    left join customers on customers.realm_id = documents.realm_id and customers.customer_id = documents.customer_id
    where payments.document_type = 'Invoice' and payments.amount > 0
      and payments.paid_on between (as_of::date - interval 12 month)::date and as_of::date
      -- an invoice still open after its date was not paid ahead: money paid before an invoice's date (a check
      -- for a quarter's agreement) says nothing about when the client pays a bill it has, and its negative days
      -- made every open invoice of such a client "late", expected the day after as_of
      and payments.paid_on >= documents.txn_date
      and (only_realm is null or documents.realm_id = only_realm)
),

days_to_pay as (  -- rounded half up, in integers
    select realm_id, client_id, floor_div(2 * sum(cents * days) + sum(cents), 2 * sum(cents))::integer as days
    from paid_invoices
    group by realm_id, client_id
),

receivables as (
    select
        greatest(coalesce(open.txn_date + days_to_pay.days, open.due_date), as_of::date + 1) as day,
        'receivables' as source, open.realm_id, open.client_id, open.client, customers.customer,
        open.document_type, open.document_id, open.doc_number, open.txn_date,
        case when days_to_pay.days is not null
             then 'paid ' || abs(days_to_pay.days) || ' days ' || case when days_to_pay.days < 0 then 'before'
                                                                        else 'after' end
                  || ' the invoice on average: expected ' || strftime(open.txn_date + days_to_pay.days, '%d %b %Y')
             else 'due ' || strftime(open.due_date, '%d %b %Y') end
            || case when coalesce(open.txn_date + days_to_pay.days, open.due_date) <= as_of::date
                    then ' (late: expected the day after the as-of date)' else '' end as detail,
        open.open_balance as amount
    from open_invoices(as_of, only_realm) as open
    left join days_to_pay using (realm_id, client_id)
    left join customers on customers.realm_id = open.realm_id and customers.customer_id = open.customer_id
    where open.open_balance > 0
),

hourly_months as (
    select
        run_rates.*, last_day(months.month::date) as invoiced_on,
        case when months.month = date_trunc('month', as_of::date) then greatest(run_rate - invoiced_so_far, 0)
             else run_rate end as amount,
        coalesce(days_to_pay.days, net_days) as days
    from hourly_run_rates(as_of, only_realm) as run_rates
    left join days_to_pay using (realm_id, client_id)
    cross join generate_series(date_trunc('month', as_of::date), date_trunc('month', last_day::date), interval 1 month)
        as months(month)
),

hourly_run_rate as (
    select
        greatest(invoiced_on + days, as_of::date + 1) as day, 'hourly_run_rate' as source, realm_id, client_id,
        client, client as customer, null as document_type, null as document_id, null as doc_number,
        invoiced_on as txn_date,
        'hourly billed ' || strftime(first_month, '%b') || ' – ' || strftime(last_month, '%b %Y') || ' a month: '
            || run_rate
            || case when invoiced_on = last_day(as_of::date) and invoiced_so_far > 0
                    then ', less ' || invoiced_so_far || ' invoiced so far' else '' end
            || '; taken as invoiced ' || strftime(invoiced_on, '%d %b %Y') || ', paid ' || days || ' days after'
            as detail,
        amount
    from hourly_months
    where amount > 0
),

becomes_revenue as (
    select
        prepaid.earn_date as day, 'becomes_revenue' as source, prepaid.realm_id, prepaid.client_id,
        customers.client, coalesce(named.customer, documents.customer_name_on_document) as customer,
        prepaid.document_type,
        prepaid.document_id, documents.doc_number, prepaid.document_date as txn_date,
        'prepaid, becomes revenue ' || strftime(prepaid.earn_date, '%d %b %Y') as detail,
        prepaid.amount
    from prepaid_position(as_of::date) as prepaid
    left join marts.fct_sales_documents as documents using (realm_id, document_type, document_id)
    left join customers on customers.realm_id = prepaid.realm_id and customers.customer_id = prepaid.client_id
    left join customers as named on named.realm_id = documents.realm_id and named.customer_id = documents.customer_id
    where prepaid.earn_date > as_of::date and (only_realm is null or prepaid.realm_id = only_realm)
)

select * from (
    select * from recurring_billing
    union all
    select * from receivables
    union all
    select * from hourly_run_rate
    union all
    select * from becomes_revenue
)
where day <= last_day::date;
