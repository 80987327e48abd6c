-- What clients owe on open documents as of each of `days` (open_invoices: as of one day): invoices, and journal
-- entries that put a debt on a customer's account (an opening balance entered to A/R), dated by the day, with
-- their balance then (total less what payments dated by the day applied to them), how many days past due they
-- are then and the aging bucket that puts them in (current: not yet due; days_1_30, days_31_60, days_61_90,
-- days_90_plus). A journal entry has no terms: it is due on its date. `on_day`: the day of the row.
-- What was paid before the first day is summed once; only documents still open then, dated later or paid since
-- are looked at day by day, so twelve 1sts cost little more than one day.
create or replace temp macro open_invoices_on(days, only_realm) as table
with days as (
    select distinct unnest(days)::date as on_day
),

invoices as (  -- `paid_for`: whose payments pay it (an entry's part is paid by its own customer's; '': anyone's)
    select
        realm_id, document_type, document_id, '' as paid_for, doc_number, txn_date, due_date, customer_id,
        customer_name_on_document, total_amount, currency
    from marts.fct_sales_documents
    where document_type = 'Invoice' and not is_voided and txn_date <= list_max(days)::date
      and (only_realm is null or realm_id = only_realm)
    union all
    select
        realm_id, document_type, document_id, customer_id, doc_number, txn_date, txn_date, customer_id, client,
        amount, currency
    from marts.fct_receivable_entries
    where amount > 0 and txn_date <= list_max(days)::date and (only_realm is null or realm_id = only_realm)
),

payments as (
    select realm_id, document_type, document_id, coalesce(entry_customer_id, '') as paid_for, paid_on, amount
    from marts.fct_document_payments
    where document_type in ('Invoice', 'JournalEntry') and paid_on <= list_max(days)::date
),

paid_before as (  -- what was paid before the first day, and whether anything was paid since
    select realm_id, document_type, document_id, paid_for,
        coalesce(sum(amount) filter (where paid_on < list_min(days)::date), 0) as paid,
        bool_or(paid_on >= list_min(days)::date) as paid_since
    from payments
    group by all
),

candidates as materialized (  -- the others were paid off before the first day and stayed so
    select invoices.*, coalesce(paid_before.paid, 0) as paid_before
    from invoices
    left join paid_before using (realm_id, document_type, document_id, paid_for)
    where invoices.total_amount <> coalesce(paid_before.paid, 0) or paid_before.paid_since
        or invoices.txn_date >= list_min(days)::date
),

paid_since as (  -- from the first day on, what had been paid from each day something was until the next
    select realm_id, document_type, document_id, paid_for, paid_on,
        lead(paid_on) over steps as next_paid_on, sum(sum(amount)) over steps as paid
    from payments
    where paid_on >= list_min(days)::date
    group by realm_id, document_type, document_id, paid_for, paid_on
    window steps as (partition by realm_id, document_type, document_id, paid_for order by paid_on)
),

dated as (
    select days.on_day, candidates.*
    from candidates
    join days on candidates.txn_date <= days.on_day
),

balances as (
    select dated.*, dated.total_amount - dated.paid_before - coalesce(paid_since.paid, 0) as balance
    from dated
    left join paid_since
        on paid_since.realm_id = dated.realm_id and paid_since.document_type = dated.document_type
        and paid_since.document_id = dated.document_id and paid_since.paid_for = dated.paid_for
        and paid_since.paid_on <= dated.on_day
        and (paid_since.next_paid_on is null or dated.on_day < paid_since.next_paid_on)
),

customers as (
    select * from marts.dim_customers
)

select
    balances.on_day,
    balances.realm_id,
    balances.document_type,
    balances.document_id,
    balances.doc_number,
    balances.txn_date,
    coalesce(balances.due_date, balances.txn_date) as due_date,
    balances.customer_id,
    coalesce(customers.client_id, balances.customer_id) as client_id,
    coalesce(customers.client, customers.customer, balances.customer_name_on_document) as client,
    balances.balance::decimal(18, 2) as open_balance,
    date_diff('day', coalesce(balances.due_date, balances.txn_date), balances.on_day) as days_past_due,
    case
        when days_past_due <= 0 then 'current'
        when days_past_due <= 30 then 'days_1_30'
        when days_past_due <= 60 then 'days_31_60'
        when days_past_due <= 90 then 'days_61_90'
        else 'days_90_plus'
    end as bucket,
    balances.currency
from balances
left join customers on customers.realm_id = balances.realm_id and customers.customer_id = balances.customer_id
where balances.balance <> 0;

create or replace temp macro open_invoices(as_of, only_realm) as table
select * exclude (on_day) from open_invoices_on([as_of::date], only_realm);
