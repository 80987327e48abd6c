-- Month-end entries for the prepayment liability at $last_day, by how QuickBooks holds each part of it
-- (prepaid_position). QuickBooks counts an invoice as income on its date and a payment reduces A/R:
-- - 'reclassification': money received for invoices dated after the month end, unapplied payments and
--   credit-memo credit are credits in A/R: Dr A/R / Cr Customer prepayments, reversed on the 1st;
-- - 'deferral': held parts of documents dated on or before the month end (QuickBooks already counted
--   them as income), less refunds and cancellations of later months dated by then (which it already
--   took off income): Dr Revenue / Cr Deferred revenue, reversed on the 1st;
-- - 'deposit_account': deposit items' lines to a liability account are a liability in the books
--   already: no entry (its roll-forward is deposit_accounts.sql).
-- Parameters: $last_day, $realm.
with position as (
    select * from prepaid_position($last_day::date) where $realm is null or realm_id = $realm
),

classified as (
    select
        case
            when kind = 'deposit_account' then 'deposit_account'
            when kind in ('document', 'refund', 'cancelled') and document_date <= $last_day then 'deferral'
            else 'reclassification'
        end as entry,
        amount
    from position
)

select entry, sum(amount)::decimal(18, 2) as amount
from classified
group by entry
order by case entry when 'reclassification' then 1 when 'deferral' then 2 else 3 end
