-- What each client has paid us for what is not earned yet, as of a date: documents' paid parts
-- earned after as_of, less refunds and credit-memo cancellations (dated by as_of) of service months
-- after as_of, plus money not applied to any invoice and credit-memo credit as it stood on as_of,
-- plus what sales lines to liability accounts (a deposit or retainer item) hold by as_of.
-- Kinds: document, refund, cancelled (a credit memo's line for a month not started), unapplied_payment,
-- cancellation_credit (memo credit up to what it cancelled of later months: the client's cash),
-- credit_memo (the rest of memo credit: credit for work, not cash), deposit_account. `document_type`,
-- `document_id` and `document_date`: the document (invoice, sales receipt, refund receipt, credit memo or
-- payment) a row comes from, and its date.
create or replace temp macro prepaid_position(as_of) as table
with documents as (
    select realm_id, client_id, earn_date, allocated as amount, document_type, document_id, txn_date as document_date
    from prepaid_allocation(as_of, as_of)
    where allocated <> 0
),

refunds as (
    select realm_id, client_id, document_type, document_id, earn_date, refund_date, refund_amount as amount
    from marts.fct_refunded_months
    where refund_date <= as_of and earn_date > as_of
),

credits as (
    select * from credit_position(as_of)
),

deposit_accounts as (
    select realm_id, client_id, document_type, document_id, amount, txn_date
    from marts.fct_other_sales_lines
    where posting = 'liability' and txn_date <= as_of
)

select realm_id, client_id, 'document' as kind, earn_date, amount, document_date, document_type, document_id
from documents
union all
select realm_id, client_id, case document_type when 'CreditMemo' then 'cancelled' else 'refund' end, earn_date,
    -amount, refund_date, document_type, document_id
from refunds
union all
select realm_id, client_id, 'unapplied_payment', null::date, amount, txn_date, source_type, source_id
from credits where kind = 'unapplied_payment'
union all
select realm_id, client_id, 'cancellation_credit', null::date, least(amount, cancelled_months), txn_date,
    source_type, source_id
from credits where kind = 'credit_memo' and least(amount, cancelled_months) > 0
union all
select realm_id, client_id, 'credit_memo', null::date, amount - greatest(least(amount, cancelled_months), 0), txn_date,
    source_type, source_id
from credits where kind = 'credit_memo' and amount - greatest(least(amount, cancelled_months), 0) <> 0
union all
select realm_id, client_id, 'deposit_account', null::date, amount, txn_date, document_type, document_id
from deposit_accounts;
