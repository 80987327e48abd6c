-- grain: one row per device of each stored RMM device export (realm, export date, line), with the client its
-- organisation is (null: unmatched) and whether it counts: a server or desktop, billable (not in Datto's
-- _NotBillable_), of a matched organisation
with devices as (
    select * from staging.stg_rmm__devices
),

organisations as (
    select * from intermediate.int_device_organisations__matched
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

final as (
    select
        devices.realm_id,
        devices.export_date,
        devices.line,
        devices.source,
        devices.layout,
        devices.organisation,
        devices.organisation_key,
        organisations.client_id,
        customers.customer as client,
        devices.device,
        devices.device_type,
        devices.kind,
        devices.last_seen,
        devices.billable,
        devices.billable and devices.kind in ('server', 'desktop') and organisations.client_id is not null as counted
    from devices
    join organisations using (realm_id, organisation_key)
    left join customers
        on customers.realm_id = organisations.realm_id and customers.customer_id = organisations.client_id
)

select * from final
