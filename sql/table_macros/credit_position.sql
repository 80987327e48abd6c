-- Money each client has with us on a date, as credit (what makes QuickBooks' A/R for the client less
-- than its open invoices), from documents dated by as_of:
-- - unapplied_payment: a payment's money applied to nothing (QuickBooks tells only today's UnappliedAmt);
-- - applied_ahead: a payment's money applied to invoices (or A/R journal entries) dated after as_of —
--   a check of 22 September applied to the invoices of 1 October, 1 November and 1 December is credit
--   on 30 September, as QuickBooks' A/R Aging shows it, until each invoice is dated (less credits dated
--   after as_of that the payment used: a credit memo or entry not yet issued);
-- - credit_memo: credit-memo credit as it stood then (RemainingCredit now plus what payments dated
--   after as_of used of it); `cancelled_months`: what the memo's lines gave back of later service
--   months (its cash-backed part; see fct_customer_credits);
-- - journal_entry: a journal entry's credit to A/R for the customer, less what payments dated by as_of
--   used of it.
-- For every client, open_invoices less these equals the A/R account's balance on as_of.
create or replace temp macro credit_position(as_of) as table
with used_later as (
    select realm_id, applied_to_id as source_id, sum(amount) as amount
    from marts.fct_payment_applications
    where applied_to_type = 'CreditMemo' and payment_date > as_of
    group by all
),

applications as (  -- what a payment line is applied to, dated, with the side of A/R it is on (an entry's:
    -- that of the paying customer's part of it; fct_payment_applications)
    select *, applied_to_side as side
    from marts.fct_payment_applications
    where applied_to_side is not null
),

applied_ahead as (
    select
        applications.realm_id, applications.payment_id as source_id, payments.txn_date, payments.customer_id,
        sum(applications.side * applications.amount) as amount
    from applications
    join marts.fct_payments as payments using (realm_id, payment_id)
    where applications.payment_date <= as_of and applications.applied_to_date > as_of
    group by all
),

entry_credits as (
    select
        entries.realm_id, entries.document_id as source_id, entries.txn_date, entries.customer_id, entries.client_id,
        -entries.amount - coalesce(used.amount, 0) as amount
    from marts.fct_receivable_entries as entries
    left join (
        select realm_id, applied_to_id, customer_id, sum(amount) as amount
        from applications
        where applied_to_type = 'JournalEntry' and payment_date <= as_of
        group by all
    ) as used
        on used.realm_id = entries.realm_id and used.applied_to_id = entries.document_id
        and used.customer_id = entries.customer_id
    where entries.amount < 0 and entries.txn_date <= as_of
),

customers as (
    select * from marts.dim_customers
)

select
    credits.realm_id, credits.client_id, credits.kind, credits.source_type, credits.source_id, credits.txn_date,
    credits.cancelled_months,
    credits.amount + case when credits.kind = 'credit_memo' then coalesce(used_later.amount, 0) else 0 end
        as amount
from marts.fct_customer_credits as credits
left join used_later using (realm_id, source_id)
where credits.txn_date <= as_of
union all
select
    applied_ahead.realm_id, coalesce(customers.client_id, applied_ahead.customer_id), 'applied_ahead', 'Payment',
    applied_ahead.source_id, applied_ahead.txn_date, 0::decimal(18, 2), applied_ahead.amount
from applied_ahead
left join customers using (realm_id, customer_id)
where applied_ahead.amount <> 0
union all
select realm_id, client_id, 'journal_entry', 'JournalEntry', source_id, txn_date, 0::decimal(18, 2), amount
from entry_credits
where amount <> 0;
