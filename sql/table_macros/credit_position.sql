-- Money each client has with us on a date, as credit: unapplied payments (QuickBooks tells only
-- today's unapplied amount) and credit-memo credit as it stood then (RemainingCredit now plus what
-- payments dated after as_of used of it), from credits dated by as_of. `cancelled_months`: what the
-- memo's lines gave back of later service months (its cash-backed part; see fct_customer_credits).
create or replace temp macro credit_position(as_of) as table
with used_later as (
    select realm_id, applied_to_id as source_id, sum(amount) as amount
    from marts.fct_payment_applications
    where applied_to_type = 'CreditMemo' and payment_date > as_of
    group by all
)

select
    credits.realm_id, credits.client_id, credits.kind, credits.source_type, credits.source_id, credits.txn_date,
    credits.cancelled_months,
    credits.amount + case when credits.kind = 'credit_memo' then coalesce(used_later.amount, 0) else 0 end
        as amount
from marts.fct_customer_credits as credits
left join used_later using (realm_id, source_id)
where credits.txn_date <= as_of;
