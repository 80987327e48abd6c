-- Report lines (--kind margin:COLUMN): the lines behind a margin figure over the 12 full months before $as_of's
-- month (or, with $month, that month's), each as it counts in the figure: revenue, time activities at their
-- hour's cost, months of tools, cost lines and hardware and software at purchase cost (client_margin_lines).
-- A margin adds revenue and takes away cost, so its rows add up to it. Parameters: $as_of, $column, $month,
-- $client, $realm, $labor_cost, $tool_server, $tool_desktop, the tables worker_rates and client_devices.
with lines as (
    select *
    from client_margin_lines(
        first_full_month($as_of), last_full_month($as_of), $as_of, $realm, $client, $labor_cost, $tool_server,
        $tool_desktop, 'worker_rates', 'client_devices')
    where $month is null or month = $month
),

chosen as (
    select *,
        case when $column in ('gross_margin', 'agreement_margin') and cost then -amount else amount end
            as signed
    from lines
    where case $column
        when 'revenue' then not cost
        when 'labor_cost' then part in ('labor_covered', 'labor_billed', 'labor_unbilled')
        when 'tool_cost' then part = 'tools'
        when 'direct_cost' then part in ('direct_hardware_software', 'direct_other')
        when 'gross_margin' then true
        when 'agreement_revenue' then part = 'labor_msa'
        when 'agreement_cost' then part in ('labor_covered', 'tools')
        when 'agreement_margin' then part in ('labor_msa', 'labor_covered', 'tools')
    end
),

customers as (
    select * from marts.dim_customers
)

select
    chosen.txn_date, chosen.document_type, chosen.doc_number,
    coalesce(clients.customer, chosen.client_id) as client, customers.customer, chosen.item,
    chosen.part as category, null::varchar as rule, null::varchar as rule_pattern, chosen.detail,
    chosen.signed::decimal(18, 2) as amount, null::varchar as currency,
    qbo_link(chosen.realm_id, chosen.document_type, chosen.document_id) as link,
    chosen.realm_id, chosen.document_id, chosen.client_id
from chosen
left join customers on customers.realm_id = chosen.realm_id and customers.customer_id = chosen.customer_id
left join customers as clients on clients.realm_id = chosen.realm_id and clients.customer_id = chosen.client_id
order by client, chosen.month, chosen.part, chosen.txn_date, chosen.document_type, chosen.document_id, chosen.line_index,
    chosen.child_index, customers.customer, chosen.item, chosen.detail, chosen.signed  -- every column: the same bytes whatever order the rows are stored in
