-- The playbook's payment rules broken over the 12 full months before as_of's month (docs/METRICS.md,
-- policies): one row per line of money at stake, each named by its rule (`policy`, report policies' column)
-- and by the breach it belongs to (`breach`: a document, a document's agreement month, or a client's 1st),
-- so report policies counts breaches and sums money from the same rows report lines lists (`service_month`: an
-- agreement month's first day, for the months a document still owes). A document is
-- paid on the day documents_paid says (in full: a partial payment leaves it unpaid; payments dated by as_of).
-- Rules switched off (`*_on` false) find nothing.
-- Parameters: as_of, only_realm, only_client, hardware_on, agreement_on, check_months, check_methods (payment
-- method names in lower case), hourly_terms_on, net_days, hourly_paid_on, finance_on, rate_percent.
create or replace temp macro policy_breaches(as_of, only_realm, only_client, hardware_on, agreement_on,
                                             check_months, check_methods, hourly_terms_on, net_days,
                                             hourly_paid_on, finance_on, rate_percent)
as table
with window_lines as (  -- sales lines of the months looked at, of the client asked for
    select
        realm_id, document_type, document_id, doc_number, txn_date, customer_id, client_id, item, category,
        subcategory, line_index, child_index, amount
    from marts.fct_revenue_lines
    where document_type in ('Invoice', 'SalesReceipt')
      and txn_date between first_full_month(as_of) and last_day(last_full_month(as_of))
      and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client)
),

documents as materialized (  -- the documents of those lines, with the day each was paid in full
    select *
    from documents_paid(as_of, first_full_month(as_of), last_day(last_full_month(as_of)), only_realm)
    semi join window_lines using (realm_id, document_type, document_id)
),

lines as materialized (
    select window_lines.*, documents.due_date, documents.paid_on
    from window_lines
    join documents using (realm_id, document_type, document_id)
),

hardware as (  -- hardware and software invoiced before it was paid for
    select *, 'hardware_unpaid_at_invoice' as policy, document_id as breach,
        'paid ' || coalesce(strftime(paid_on, '%Y-%m-%d'), 'not yet') || ', invoiced '
            || strftime(txn_date, '%Y-%m-%d') as detail
    from lines
    where hardware_on and category in ('hardware', 'software') and document_type = 'Invoice'
      and (paid_on is null or paid_on > txn_date)
),

agreement_months as materialized (  -- each agreement line's part in each of its service months looked at
    select
        service.realm_id, service.document_type, service.document_id, service.line_index, service.child_index,
        service.month as service_month, service.amount
    from marts.fct_service_months as service
    semi join documents using (realm_id, document_type, document_id)
    where service.category = 'labor_msa'
),

agreement_lines as (
    select lines.* exclude (amount), months.service_month, months.amount
    from lines
    join agreement_months as months using (realm_id, document_type, document_id, line_index, child_index)
    where lines.category = 'labor_msa' and months.service_month <= as_of
),

month_amounts as materialized (  -- each document's agreement money per service month
    select realm_id, document_type, document_id, service_month, sum(amount) as amount
    from agreement_months
    group by all
),

check_applications as (  -- what checks paid of those documents
    select applications.realm_id, applications.payment_id, applications.applied_to_type as document_type,
        applications.applied_to_id as document_id, payments.total_amount, month_amounts.amount as month_amount
    from marts.fct_payment_applications as applications
    join month_amounts
        on month_amounts.realm_id = applications.realm_id
        and month_amounts.document_type = applications.applied_to_type
        and month_amounts.document_id = applications.applied_to_id
    join marts.fct_payments as payments
        on payments.realm_id = applications.realm_id and payments.payment_id = applications.payment_id
    where applications.payment_date <= as_of and list_contains(check_methods, lower(trim(payments.payment_method)))
),

short_checks as (  -- documents paid (in part) by a check worth fewer agreement months than the rule asks: its
    -- whole amount, applied or held as credit, under check_months times the smallest month it paid (a fee that
    -- changed within the months a check paid still counts them whole)
    select distinct check_applications.realm_id, check_applications.document_type, check_applications.document_id
    from check_applications
    join (
        select realm_id, payment_id
        from check_applications
        group by all
        having any_value(total_amount) < check_months * min(month_amount)
    ) as short using (realm_id, payment_id)
),

agreement as (  -- agreement months not paid by their 1st, or paid by a check for too few months
    select agreement_lines.*, 'agreement_paid_late' as policy,
        document_id || ' ' || strftime(service_month, '%Y-%m') as breach,
        strftime(service_month, '%Y-%m') || ': '
            || case when paid_on is null or paid_on > service_month
                    then 'paid ' || coalesce(strftime(paid_on, '%Y-%m-%d'), 'not yet')
                    else 'a check for less than ' || check_months || ' months' end as detail
    from agreement_lines
    left join short_checks using (realm_id, document_type, document_id)
    where agreement_on and (paid_on is null or paid_on > service_month or short_checks.document_id is not null)
),

hourly_lines as materialized (
    select * from lines where category = 'labor_hourly' and document_type = 'Invoice'
),

hourly_terms as (  -- hourly work invoiced on other terms than net net_days (the invoice's due date)
    select *, 'hourly_terms_not_net20' as policy, document_id as breach,
        coalesce('due in ' || date_diff('day', txn_date, due_date) || ' days', 'no due date') as detail
    from hourly_lines
    where hourly_terms_on and (due_date is null or date_diff('day', txn_date, due_date) <> net_days)
),

hourly_late as (  -- hourly work not paid by the invoice's due date (one still to come is not late yet)
    select *, 'hourly_paid_late' as policy, document_id as breach,
        'due ' || strftime(coalesce(due_date, txn_date), '%Y-%m-%d') || ', paid '
            || coalesce(strftime(paid_on, '%Y-%m-%d'), 'not yet') as detail
    from hourly_lines
    where hourly_paid_on and coalesce(due_date, txn_date) < as_of
      and (paid_on is null or paid_on > coalesce(due_date, txn_date))
),

past_due as (  -- what was past due on each of the 12 1sts: open the day before, due before the 1st
    select (open.on_day + 1)::date as assessed_on, open.*
    from open_invoices_on(
        [d::date - 1 for d in generate_series(first_full_month(as_of), last_full_month(as_of), interval 1 month)],
        only_realm) as open
    where finance_on and open.days_past_due >= 0 and open.open_balance > 0
      and (only_client is null or open.client_id = only_client)
),

finance_due as (
    select
        realm_id, document_type, document_id, doc_number, assessed_on as txn_date, customer_id, client_id,
        null::varchar as item, 'finance_charges_due' as policy, strftime(assessed_on, '%Y-%m-%d') as breach,
        rate_percent || '% of ' || open_balance || ' past due on ' || strftime(assessed_on, '%Y-%m-%d')
            || ' (due ' || strftime(due_date, '%Y-%m-%d') || ')' as detail,
        round(open_balance * rate_percent::decimal(9, 4) * 0.01, 2)::decimal(18, 2) as amount
    from past_due
),

finance_invoiced as (  -- the finance-charge item's lines (a rule naming finance_charge finds it)
    select *, 'finance_charges_invoiced' as policy, document_id as breach,
        'invoiced ' || strftime(txn_date, '%Y-%m-%d') as detail
    from lines
    where finance_on and subcategory = 'finance_charge'
),

found as (
    select * from hardware
    union all by name select * from agreement
    union all by name select * from hourly_terms
    union all by name select * from hourly_late
    union all by name select * from finance_due where amount <> 0
    union all by name select * from finance_invoiced
)

select realm_id, document_type, document_id, doc_number, txn_date, customer_id, client_id, item, policy, breach,
    detail, amount, service_month
from found;
