-- The sit-down's outstanding billing issues of one client as of $as_of (docs/METRICS.md, policies): one row per
-- document still open, and one for the finance charges not invoiced. A document is in when it is open (its
-- balance, open_invoices') and past its due date, or when the payment rules asked for its money already: its
-- hardware and software (paid before it is invoiced) or an agreement month that has started (paid by its 1st),
-- as policy_breaches finds them over the 12 full months. Its money is its open balance, once however many
-- reasons it has, so the rows add up to what the client owes for them. Breaches since settled (paid late, but
-- paid) are history: report policies keeps them. The finance charges: those due on the 12 1sts less those
-- invoiced in the same months, when more were due; a charge is due on what was past due, so paying the invoice
-- since does not undo it.
-- Parameters: $as_of, $realm, $client and the rules' (policy_breaches').
with open_documents as (
    select *
    from open_invoices($as_of::date, $realm)
    where open_balance > 0 and client_id = $client
),

breaches as materialized (
    select *
    from policy_breaches(
        $as_of::date, $realm, $client, $hardware_on, $agreement_on, $check_months, $check_methods::varchar[],
        $hourly_terms_on, $net_days, $hourly_paid_on, $finance_on, $rate_percent)
),

owed_early as (  -- per document, the money the rules asked for by now: hardware and software, months started
    select realm_id, document_type, document_id,
        sum(amount) filter (where policy = 'hardware_unpaid_at_invoice') as hardware,
        list(distinct strftime(service_month, '%Y-%m') order by strftime(service_month, '%Y-%m'))
            filter (where policy = 'agreement_paid_late') as agreement_months
    from breaches
    where policy in ('hardware_unpaid_at_invoice', 'agreement_paid_late')
    group by all
),

documents as (
    select
        open_documents.realm_id, open_documents.document_id, open_documents.document_type,
        open_documents.doc_number, open_documents.txn_date,
        list_concat(
            case when open_documents.days_past_due > 0 then ['past_due'] else []::varchar[] end,
            case when owed_early.hardware is not null then ['hardware_unpaid'] else []::varchar[] end,
            case when len(owed_early.agreement_months) > 0 then ['agreement_unpaid'] else []::varchar[] end)
            as reasons,
        'due ' || strftime(open_documents.due_date, '%Y-%m-%d')
            || case when open_documents.days_past_due > 0
                    then ', ' || open_documents.days_past_due || ' days past due' else '' end
            || case when owed_early.hardware is not null
                    then '; hardware and software ' || owed_early.hardware::decimal(18, 2) || ' unpaid' else '' end
            || case when len(owed_early.agreement_months) > 0
                    then '; agreement months ' || array_to_string(owed_early.agreement_months, ', ') || ' unpaid'
                    else '' end as detail,
        open_documents.open_balance as amount
    from open_documents
    left join owed_early using (realm_id, document_type, document_id)
    where open_documents.days_past_due > 0 or owed_early.document_id is not null
),

finance_charges as (
    select
        count(distinct breach) filter (where policy = 'finance_charges_due') as due_count,
        coalesce(sum(amount) filter (where policy = 'finance_charges_due'), 0) as due,
        count(distinct breach) filter (where policy = 'finance_charges_invoiced') as invoiced_count,
        coalesce(sum(amount) filter (where policy = 'finance_charges_invoiced'), 0) as invoiced,
        max(txn_date) filter (where policy = 'finance_charges_due') as last_due_on
    from breaches
    where policy in ('finance_charges_due', 'finance_charges_invoiced')
),

not_invoiced as (
    select
        null::varchar as realm_id, null::varchar as document_id, null::varchar as document_type,
        null::varchar as doc_number, last_due_on as txn_date, ['finance_not_invoiced'] as reasons,
        due_count || ' due: ' || due::decimal(18, 2) || '; ' || invoiced_count || ' invoiced: '
            || invoiced::decimal(18, 2) as detail,
        due - invoiced as amount
    from finance_charges
    where due > invoiced
),

found as (
    select * from documents
    union all by name select * from not_invoiced
)

select txn_date, document_type, doc_number, reasons, detail, amount::decimal(18, 2) as amount, realm_id, document_id
from found
order by document_id is null, txn_date, document_type, doc_number, document_id
