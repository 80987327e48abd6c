-- Report lines (--kind revenue): the revenue lines behind a revenue figure — dated in
-- [$first_day, $last_day] (no first day: from the start), of the categories in $categories (null: all),
-- of client $client (with $rollup false: that customer only), oldest first.
-- Parameters: $first_day, $last_day, $categories, $client, $rollup, $realm.
with lines as (
    select * from marts.fct_revenue_lines
    where ($first_day is null or txn_date >= $first_day) and txn_date <= $last_day
      and ($realm is null or realm_id = $realm)
      and ($categories is null or list_contains($categories, category))
      and ($client is null or (case when $rollup then client_id else customer_id end) = $client)
)

select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern,
    case when service_date is not null then 'service ' || strftime(service_date, '%Y-%m-%d') end as detail,
    amount, currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from lines
order by txn_date, realm_id, document_type, document_id, line_index, child_index
