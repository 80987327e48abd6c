-- Report lines (--kind revenue): the revenue lines behind a revenue figure — dated in
-- [$first_day, $last_day] (no first day: from the start), of the categories in $categories (null: all),
-- of client $client (with $rollup false: that customer only), oldest first. With $against_first and
-- $against_last, then the lines of those days with their amounts negated: together the change from
-- that earlier period (a comparison's "Change"). On $basis 'cash' an invoice's line is listed once per payment
-- with its share, dated when paid (the detail names the payment and the line's amount on the invoice).
-- Parameters: $first_day, $last_day, $against_first, $against_last, $categories, $client, $rollup, $realm, $basis.
with dated as (
    select *, false as taken_off from revenue_lines($basis)
    where ($first_day is null or txn_date >= $first_day) and txn_date <= $last_day
    union all
    select *, true from revenue_lines($basis)
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
              case when service_date is not null then 'service ' || strftime(service_date, '%Y-%m-%d') end,
              case when paid_by_type = 'Deposit' then 'share of the deposit taken on the invoice: ' || paid_amount
                                                      || ' paid, the line ' || line_amount || ' on it'
                   when paid_by_type is not null then 'share of payment ' || coalesce(paid_by_reference, paid_by_id)
                                                      || ' (' || strftime(paid_on, '%Y-%m-%d') || '): ' || paid_amount
                                                      || ' paid to the invoice, the line ' || line_amount || ' on it' end),
           '') as detail,
    case when taken_off then -amount else amount end::decimal(18, 2) as amount,
    currency, qbo_link(realm_id, document_type, document_id) as link,
    realm_id, document_id, client_id
from lines
order by taken_off, txn_date, realm_id, document_type, document_id, line_index, child_index, paid_by_type,
    paid_by_id, paid_by_line
