-- Report lines (--kind price-sheet:COLUMN): what is behind a figure of report price-sheet as of $as_of:
-- actual_monthly lists the client's agreement lines of the month (each its part of the month, as MRR counts it),
-- list_monthly its device counts at its tier's list prices (a row per kind the tier prices: `devices` the count,
-- `amount` count x price), difference both, the agreement lines' amounts negative, so `amount` adds up to it (only
-- for clients the price sheet prices). Parameters: $as_of, $column, $client, $realm; relations tier_prices and
-- client_devices.
with clients as (
    select * from price_sheet_clients($as_of, $realm, $client, 'tier_prices', 'client_devices')
),

agreement as (
    select
        lines.txn_date, lines.document_type, lines.doc_number, lines.realm_id, lines.client_id, lines.customer,
        lines.item, lines.category, lines.rule, lines.rule_pattern,
        case when lines.months > 1
             then strftime(lines.month, '%b %Y') || ', month ' || (date_diff('month', lines.first_month, lines.month) + 1)
                  || ' of ' || lines.months
             else 'service ' || strftime(lines.month, '%b %Y') end as detail,
        null::decimal(18, 2) as devices,
        (case when $column = 'difference' then -1 else 1 end * lines.amount)::decimal(18, 2) as amount,
        lines.currency, lines.document_id, lines.line_index, lines.child_index
    from price_sheet_agreement_lines($as_of, $realm, $client) as lines
    join clients using (realm_id, client_id)
    where $column = 'actual_monthly' or ($column = 'difference' and clients.list_monthly is not null)
),

counts as (
    select clients.*, kinds.kind, kinds.count, kinds.price
    from clients
    cross join lateral (values ('server', clients.servers, clients.server_price),
                               ('desktop', clients.desktops, clients.desktop_price)) as kinds(kind, count, price)
    where clients.list_monthly is not null and kinds.price is not null
      and $column in ('list_monthly', 'difference')
),

listed as (
    select
        counted_from as txn_date, 'Device count' as document_type, null::varchar as doc_number, realm_id, client_id,
        null::varchar as customer, tier as item, kind as category, counted_by as rule, null::varchar as rule_pattern,
        count || ' ' || kind || '(s) x ' || price || ' (' || tier || ' list price; '
            || device_counts_source(counted_by, counted_from) || ')' as detail,
        count::decimal(18, 2) as devices, (count * price)::decimal(18, 2) as amount, null::varchar as currency,
        null::varchar as document_id, null::integer as line_index, null::integer as child_index
    from counts
),

chosen as (
    select * from agreement
    union all by name
    select * from listed
)

select
    chosen.txn_date, chosen.document_type, chosen.doc_number, coalesce(customers.customer, chosen.client_id) as client,
    chosen.customer, chosen.item, chosen.category, chosen.rule, chosen.rule_pattern, chosen.detail, chosen.devices,
    chosen.amount, chosen.currency,
    case when chosen.document_id is not null then qbo_link(chosen.realm_id, chosen.document_type, chosen.document_id)
    end as link,
    chosen.realm_id, chosen.document_id, chosen.client_id
from chosen
left join marts.dim_customers as customers
    on customers.realm_id = chosen.realm_id and customers.customer_id = chosen.client_id
order by client, chosen.client_id, chosen.realm_id, chosen.document_type, chosen.txn_date, chosen.doc_number, chosen.document_id, chosen.line_index,
    chosen.child_index, chosen.category, chosen.amount
