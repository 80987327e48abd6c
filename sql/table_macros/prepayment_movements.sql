-- The prepayment roll-forward of the month [month_start, month_end] per document (invoice, sales
-- receipt, refund receipt, credit memo, payment, deposit line), with D0 the day before it: opening =
-- its part of the liability at D0; received = what its paid parts earned after the month grew by during
-- it, or the unapplied payment or credit that arrived in it; recognised = its parts held at D0 that were
-- earned during the month (less refunds of them made before), or credit-memo credit used in the month
-- (what it paid for, if a later month, is received again through that document); a credit memo's
-- cancellations of later months count as refunds and its credit as received; deposit items' lines to
-- liability accounts count as received (+) and recognised (applied, -) in their month; refunded = what
-- a refund made in the month gave back of months after it; closing = its part of the liability at the
-- month end. Per client, opening + received - recognised - refunded = closing (a memo's credit used to
-- pay an invoice moves between two documents, so a single document need not balance).
create or replace temp macro prepayment_movements(month_start, month_end) as table
with start_alloc as (  -- rows earned before the month move nothing in it
    select * from prepaid_allocation((month_start::date - interval 1 day)::date, (month_start::date - interval 1 day)::date)
),

end_alloc as (
    select * from prepaid_allocation(month_end::date, (month_start::date - interval 1 day)::date)
),

documents as (
    select
        realm_id, e.client_id, document_type, document_id,
        sum(case when e.earn_date > month_end then e.allocated - s.allocated else 0 end) as received,
        sum(case when e.earn_date between month_start and month_end then s.allocated else 0 end) as recognised
    from end_alloc as e
    join start_alloc as s using (realm_id, document_type, document_id, earn_date)
    group by all
),

refunds as (
    select
        realm_id, client_id, document_type, document_id,
        sum(refund_amount) filter (where refund_date between month_start and month_end
                                     and earn_date > month_end) as refunded,
        sum(refund_amount) filter (where refund_date < month_start
                                     and earn_date between month_start and month_end) as refunded_before
    from marts.fct_refunded_months
    group by all
),

memo_uses as (  -- credit-memo credit that payments used, by when
    select realm_id, applied_to_id as source_id, payment_date, amount
    from marts.fct_payment_applications
    where applied_to_type = 'CreditMemo'
),

credits as (  -- arrived: unapplied payments and memo credit as issued; used: memo credit used in the month
    select realm_id, client_id, document_type, document_id, sum(arrived) as arrived, sum(used) as used
    from (
        select credits.realm_id, credits.client_id,
            credits.source_type as document_type, credits.source_id as document_id, credits.amount + coalesce(later.amount, 0) as arrived, 0 as used
        from marts.fct_customer_credits as credits
        left join (
            select realm_id, source_id, sum(amount) as amount
            from memo_uses
            where payment_date >= month_start
            group by all
        ) as later on later.realm_id = credits.realm_id and later.source_id = credits.source_id
            and credits.kind = 'credit_memo'
        where credits.txn_date between month_start and month_end
        union all
        select credits.realm_id, credits.client_id, credits.source_type, credits.source_id, 0, uses.amount
        from memo_uses as uses
        join marts.fct_customer_credits as credits
            on credits.realm_id = uses.realm_id and credits.source_id = uses.source_id and credits.kind = 'credit_memo'
        where uses.payment_date between month_start and month_end and credits.txn_date <= month_end
    )
    group by all
),

deposit_accounts as (  -- deposit items' lines to liability accounts: received +, applied -
    select
        realm_id, client_id, document_type, document_id,
        sum(amount) filter (where amount > 0) as received,
        -sum(amount) filter (where amount < 0) as applied
    from marts.fct_other_sales_lines
    where posting = 'liability' and txn_date between month_start and month_end
    group by all
),

opening as (
    select realm_id, client_id, document_type, document_id, sum(amount) as amount
    from prepaid_position((month_start::date - interval 1 day)::date)
    group by all
),

closing as (
    select realm_id, client_id, document_type, document_id, sum(amount) as amount
    from prepaid_position(month_end::date)
    group by all
),

keys as (
    select realm_id, client_id, document_type, document_id from documents
    union select realm_id, client_id, document_type, document_id from refunds
    union select realm_id, client_id, document_type, document_id from credits
    union select realm_id, client_id, document_type, document_id from deposit_accounts
    union select realm_id, client_id, document_type, document_id from opening
    union select realm_id, client_id, document_type, document_id from closing
)

select
    keys.realm_id, keys.client_id, keys.document_type, keys.document_id,
    coalesce(opening.amount, 0)::decimal(18, 2) as opening,
    (coalesce(documents.received, 0) + coalesce(credits.arrived, 0) + coalesce(deposit_accounts.received, 0))
        ::decimal(18, 2) as received,
    (coalesce(documents.recognised, 0) - coalesce(refunds.refunded_before, 0) + coalesce(deposit_accounts.applied, 0)
        + coalesce(credits.used, 0))::decimal(18, 2) as recognised,
    coalesce(refunds.refunded, 0)::decimal(18, 2) as refunded,
    coalesce(closing.amount, 0)::decimal(18, 2) as closing
from keys
left join documents using (realm_id, client_id, document_type, document_id)
left join refunds using (realm_id, client_id, document_type, document_id)
left join credits using (realm_id, client_id, document_type, document_id)
left join deposit_accounts using (realm_id, client_id, document_type, document_id)
left join opening using (realm_id, client_id, document_type, document_id)
left join closing using (realm_id, client_id, document_type, document_id);
