-- Report lines (--kind mrr:MOVEMENT): the lines behind one movement of $month's MRR (new, expansion,
-- contraction, churn, reactivation, adjustment): for each client with that movement, its MRR lines
-- dated by $as_of of the month (+) and of the month before (−), so they add up to the movement's delta.
-- Parameters: $as_of, $month, $movement, $client, $realm.
with moved as (
    select realm_id, client_id
    from mrr_movements($as_of, $realm)
    where month = $month and movement = $movement and ($client is null or client_id = $client)
),

lines as (
    select * from marts.fct_mrr_lines
    where month in ($month, ($month - interval 1 month)::date) and txn_date <= $as_of
      and (realm_id, client_id) in (select (realm_id, client_id) from moved)
)

select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern,
    case when month = $month then 'MRR of ' else 'less MRR of ' end || strftime(month, '%b %Y') as detail,
    case when month = $month then amount else -amount end::decimal(18, 2) as amount,
    currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from lines
order by client, month desc, txn_date, document_type, document_id, line_index, child_index
