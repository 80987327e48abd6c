-- Report lines (--kind policies:COLUMN): the documents behind a cell of report policies over the 12 full months
-- before $as_of's month: for a rule, the lines of money at stake of each breach (the hardware and software, an
-- agreement month's part, the hourly work, each open document's finance charge on a 1st, the finance-charge
-- lines invoiced), adding up to the column's amount; its count is the breaches they name (`detail` says why).
-- Parameters: $as_of, $column, $client, $realm and the rules' (policy_breaches').
with found as (
    select *
    from policy_breaches(
        $as_of::date, $realm, $client, $hardware_on, $agreement_on, $check_months, $check_methods::varchar[],
        $hourly_terms_on, $net_days, $hourly_paid_on, $finance_on, $rate_percent)
    where policy = $column
),

customers as (
    select * from marts.dim_customers
)

select
    found.txn_date, found.document_type, found.doc_number,
    coalesce(clients.customer, found.client_id) as client, customers.customer, found.item,
    found.policy as category, null::varchar as rule, null::varchar as rule_pattern, found.detail,
    found.amount::decimal(18, 2) as amount, null::varchar as currency,
    qbo_link(found.realm_id, found.document_type, found.document_id) as link,
    found.realm_id, found.document_id, found.client_id, found.breach
from found
left join customers on customers.realm_id = found.realm_id and customers.customer_id = found.customer_id
left join customers as clients on clients.realm_id = found.realm_id and clients.customer_id = found.client_id
order by client, found.txn_date, found.document_type, found.document_id, found.detail, customers.customer, found.item,
    found.amount, found.breach  -- every column that can differ: the same bytes whatever order the rows are stored in
