-- Report lines (--kind revenue): the revenue lines behind a revenue figure — dated in
-- [$first_day, $last_day] (no first day: from the start), of the categories in $categories (null: all),
-- of client $client (with $rollup false: that customer only), oldest first. With $against_first and
-- $against_last, then the lines of those days with their amounts negated: together the change from
-- that earlier period (a comparison's "Change").
-- Parameters: $first_day, $last_day, $against_first, $against_last, $categories, $client, $rollup, $realm.
with dated as (
    select *, false as taken_off from marts.fct_revenue_lines
    where ($first_day is null or txn_date >= $first_day) and txn_date <= $last_day
    union all
    select *, true from marts.fct_revenue_lines
    where $against_last is not null and txn_date between $against_first and $against_last
),

lines as (
    select * from dated
    where ($realm is null or realm_id = $realm)
      and ($categories is null or list_contains($categories, category))
      and ($client is null or (case when $rollup then client_id else customer_id end) = $client)
)

select
    txn_date, document_type, doc_number, client, customer, item, category, rule, rule_pattern,
    nullif(concat_ws('; ',
              case when taken_off then 'taken off: ' || strftime($against_first::date, '%Y-%m-%d') || ' to '
                                       || strftime($against_last::date, '%Y-%m-%d') end,
              case when service_date is not null then 'service ' || strftime(service_date, '%Y-%m-%d') end),
           '') as detail,
    case when taken_off then -amount else amount end::decimal(18, 2) as amount,
    currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from lines
order by taken_off, txn_date, realm_id, document_type, document_id, line_index, child_index
