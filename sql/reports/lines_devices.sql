-- Report lines (--kind devices:COLUMN): the devices and the invoice lines behind a figure of report devices as of
-- $as_of: servers_deployed and desktops_deployed list the devices of the latest export (a device each),
-- servers_billed and desktops_billed the device lines of the month (the devices each bills), monthly_difference
-- both, each device at the client's rate for its kind and each line less its devices at that rate, so `devices`
-- adds up to a count and `amount` to the difference. Parameters: $as_of, $column, $client, $realm.
with rates as (
    select * from device_rates($as_of, $realm, $client)
),

devices as (
    select
        deployed.export_date as txn_date, 'Device (' || deployed.layout || ')' as document_type,
        deployed.device as doc_number, deployed.realm_id, deployed.client_id, deployed.organisation as customer,
        deployed.device_type as item, deployed.kind, 'device export' as rule, deployed.source as rule_pattern,
        'last seen ' || coalesce(strftime(deployed.last_seen, '%Y-%m-%d %H:%M'), 'unknown') as detail,
        1::decimal(18, 2) as devices, rates.rate as amount, null::varchar as document_id, deployed.line as line_index
    from deployed_devices($as_of, $realm, $client) as deployed
    left join rates on rates.realm_id = deployed.realm_id and rates.client_id = deployed.client_id
        and rates.kind = deployed.kind
    where $column in ('servers_deployed', 'desktops_deployed', 'monthly_difference')
      and ($column = 'monthly_difference' or deployed.kind = split_part($column, 's_', 1))
),

billed as (
    select
        lines.txn_date, lines.document_type, lines.doc_number, lines.realm_id, lines.client_id, lines.customer,
        lines.item, lines.device_kind as kind, 'device kind' as rule, lines.device_rule as rule_pattern,
        lines.devices::decimal(18, 2) || ' x ' || coalesce(rates.rate::varchar, '?') as detail,
        lines.devices::decimal(18, 2) as devices,
        (case when $column = 'monthly_difference' then -1 else 1 end * lines.devices * rates.rate)::decimal(18, 2)
            as amount,
        lines.document_id, lines.line_index
    from billed_device_lines($as_of, $realm, $client) as lines
    left join rates on rates.realm_id = lines.realm_id and rates.client_id = lines.client_id
        and rates.kind = lines.device_kind
    where $column in ('servers_billed', 'desktops_billed', 'monthly_difference')
      and ($column = 'monthly_difference' or lines.device_kind = split_part($column, 's_', 1))
),

chosen as (
    select * from devices
    union all
    select * from billed
)

select
    chosen.txn_date, chosen.document_type, chosen.doc_number, coalesce(clients.customer, chosen.client_id) as client,
    chosen.customer, chosen.item, chosen.kind as category, chosen.rule, chosen.rule_pattern, chosen.detail,
    chosen.devices, chosen.amount, null::varchar as currency,
    case when chosen.document_id is not null then qbo_link(chosen.realm_id, chosen.document_type, chosen.document_id)
    end as link,
    chosen.realm_id, chosen.document_id, chosen.client_id
from chosen
left join marts.dim_customers as clients
    on clients.realm_id = chosen.realm_id and clients.customer_id = chosen.client_id
order by client, chosen.kind, chosen.document_type, chosen.txn_date, chosen.doc_number, chosen.line_index,
    chosen.devices, chosen.amount  -- every column that can differ: the same bytes whatever order rows are stored in
