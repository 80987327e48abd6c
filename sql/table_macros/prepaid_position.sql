-- What each client has paid us for what is not earned yet, as of a date: documents' paid parts
-- earned after as_of, less refunds (dated by as_of) of service months after as_of, plus money not
-- applied to any invoice and credit-memo credit that had arrived by as_of, plus what sales lines to
-- liability accounts (a deposit or retainer item) hold by as_of: received +, applied -.
create or replace temp macro prepaid_position(as_of) as table
with documents as (
    select realm_id, client_id, earn_date, allocated as amount
    from prepaid_allocation(as_of)
    where earn_date > as_of and allocated <> 0
),

refunds as (
    select realm_id, client_id, earn_date, refund_amount as amount
    from marts.fct_refunded_months
    where refund_date <= as_of and earn_date > as_of
),

credits as (
    select realm_id, client_id, kind, amount
    from marts.fct_customer_credits
    where txn_date <= as_of
),

deposit_accounts as (
    select realm_id, client_id, amount
    from marts.fct_other_sales_lines
    where posting = 'liability' and txn_date <= as_of
)

select realm_id, client_id, 'document' as kind, earn_date, amount from documents
union all
select realm_id, client_id, 'refund', earn_date, -amount from refunds
union all
select realm_id, client_id, kind, null::date, amount from credits
union all
select realm_id, client_id, 'deposit_account', null::date, amount from deposit_accounts;
