-- How each client paid (docs/METRICS.md, payment behaviour): one row per invoice and sales receipt dated in the
-- 12 full months before as_of's month (`period` 'latest') or in the 12 months before those ('previous'), voided
-- ones and those of no money left out, with its client (jobs roll up) and when it was paid in full by as_of
-- (documents_paid's `paid_on`, the policies' "paid"; a sales receipt on its date). For invoices: the days that
-- took, the day it was due (its due date, else its own date), whether it counts for the share paid by the due
-- date (`counted`: paid, or due before as_of: one still to come is not late yet) and was (`on_time`). For both:
-- the payment methods (PaymentMethodRef names: of the payments applied to an invoice by as_of, of a sales receipt
-- its own), and `autopay`: paid in full on its own date by a card (card_methods, lower case) that day, as a card
-- on file charged when the document was made, by a recurring template or by hand.
create or replace temp macro invoice_payments(as_of, only_realm, only_client, card_methods) as table
with customers as (
    select realm_id, customer_id, client_id from marts.dim_customers
),

documents as materialized (
    select
        paid.realm_id, paid.document_type, paid.document_id, paid.doc_number, paid.customer_id,
        coalesce(customers.client_id, paid.customer_id) as client_id, paid.txn_date, paid.total_amount,
        coalesce(paid.due_date, paid.txn_date) as due_on, paid.paid_on, nullif(trim(paid.payment_method), '')
            as receipt_method,
        case when paid.txn_date >= first_full_month(as_of) then 'latest' else 'previous' end as period
    from documents_paid(as_of, first_full_month(as_of) - interval 12 month, last_day(last_full_month(as_of)),
                        only_realm) as paid
    left join customers using (realm_id, customer_id)
    where paid.total_amount > 0
      and (only_client is null or coalesce(customers.client_id, paid.customer_id) = only_client)
),

methods as (  -- what paid each invoice by as_of, by method, and whether a card paid it on its date (applied_to_date:
    -- the invoice's); read by the invoice's date, so only the months looked at are joined to their payments
    select
        applications.realm_id, 'Invoice' as document_type, applications.applied_to_id as document_id,
        list_sort(list(distinct nullif(trim(payments.payment_method), ''))
                  filter (where nullif(trim(payments.payment_method), '') is not null)) as payment_methods,
        bool_or(list_contains(card_methods, lower(trim(payments.payment_method)))
                and applications.payment_date = applications.applied_to_date) as card_on_its_date
    from marts.fct_payment_applications as applications
    join marts.fct_payments as payments using (realm_id, payment_id)
    where applications.applied_to_type = 'Invoice' and applications.payment_date <= as_of::date
      and applications.applied_to_date between first_full_month(as_of) - interval 12 month
                                           and last_day(last_full_month(as_of))
      and (only_realm is null or applications.realm_id = only_realm)
    group by all
)

select
    documents.* exclude (receipt_method),
    date_diff('day', documents.txn_date, documents.paid_on) as days_to_pay,
    documents.paid_on is not null or documents.due_on < as_of::date as counted,
    coalesce(documents.paid_on <= documents.due_on, false) as on_time,
    case when documents.document_type = 'SalesReceipt' then list_filter([documents.receipt_method], lambda m: m is not null)
         else coalesce(methods.payment_methods, []::varchar[]) end as payment_methods,
    coalesce(documents.paid_on = documents.txn_date
             and case when documents.document_type = 'SalesReceipt'
                      then list_contains(card_methods, lower(documents.receipt_method))
                      else methods.card_on_its_date end, false) as autopay
from documents
left join methods using (realm_id, document_type, document_id);
