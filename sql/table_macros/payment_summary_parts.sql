-- The company's payment figures for each of the 12 full months before as_of's month (docs/METRICS.md, payment
-- behaviour, summary), as the documents behind them, one row per document (`part`) and month:
-- - sales: the invoices dated in the 12 months ending with the month (credit sales: what receivables come from);
-- - receivables: what was open on the month's last day (open_invoices_on: invoices and debts entered to A/R);
-- - agreement_money: each invoice's and sales receipt's agreement money (labor_msa) counting in the month, by
--   service month as MRR counts it (fct_service_months);
-- - agreement_by_3rd: of that, the money of documents paid in full by the month's 3rd (documents_paid).
create or replace temp macro payment_summary_parts(as_of, only_realm) as table
with months as (
    select unnest(generate_series(first_full_month(as_of), last_full_month(as_of), interval 1 month))::date as month
),

documents as materialized (
    select *
    from documents_paid(as_of, first_full_month(as_of) - interval 12 month, last_day(last_full_month(as_of)),
                        only_realm)
),

sales as (
    select months.month, 'sales' as part, documents.realm_id, documents.document_type, documents.document_id,
        documents.doc_number, documents.customer_id, documents.txn_date,
        'invoiced in the 12 months to ' || strftime(last_day(months.month), '%Y-%m-%d') as detail,
        documents.total_amount as amount
    from months
    join documents
        on documents.document_type = 'Invoice'
        and documents.txn_date between (months.month - interval 11 month)::date and last_day(months.month)
),

receivables as (
    select date_trunc('month', open.on_day)::date as month, 'receivables' as part, open.realm_id, open.document_type,
        open.document_id, open.doc_number, open.customer_id, open.txn_date,
        'open on ' || strftime(open.on_day, '%Y-%m-%d') || ', due ' || strftime(open.due_date, '%Y-%m-%d') as detail,
        open.open_balance as amount
    from open_invoices_on(
        [last_day(d::date) for d in generate_series(first_full_month(as_of), last_full_month(as_of), interval 1 month)],
        only_realm) as open
    where open.open_balance > 0
),

agreement as (
    select service.month, documents.realm_id, documents.document_type, documents.document_id, documents.doc_number,
        documents.customer_id, documents.txn_date, documents.paid_on, sum(service.amount) as amount
    from marts.fct_service_months as service
    join documents using (realm_id, document_type, document_id)
    join months using (month)
    where service.category = 'labor_msa'
    group by all
),

agreement_parts as (
    select month, 'agreement_money' as part, * exclude (month, paid_on, amount),
        'paid in full ' || coalesce(strftime(paid_on, '%Y-%m-%d'), 'not yet') as detail, amount
    from agreement
    union all
    select month, 'agreement_by_3rd' as part, * exclude (month, paid_on, amount),
        'paid in full ' || strftime(paid_on, '%Y-%m-%d') || ', by the 3rd' as detail, amount
    from agreement
    where paid_on <= month + 2
)

select * from sales
union all by name select * from receivables
union all by name select * from agreement_parts;
