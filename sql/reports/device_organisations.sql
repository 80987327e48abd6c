-- Report device-organisations: each organisation of each company's latest device export on or before $as_of, with
-- the QuickBooks client it is (matched by the owner's mapping or by name) or why none, and its devices (all listed,
-- and those counted); unmatched first. Parameters: $as_of, $realm.
with exports as (
    select * from latest_device_export($as_of, $realm)
),

final as (
    select
        organisations.organisation,
        organisations.client_id,
        clients.customer as client,
        organisations.matched_by,
        organisations.why_unmatched,
        organisations.devices,
        organisations.counted_devices,
        organisations.export_date,
        organisations.realm_id
    from marts.mart_device_organisations as organisations
    join exports using (realm_id, export_date)
    left join marts.dim_customers as clients
        on clients.realm_id = organisations.realm_id and clients.customer_id = organisations.client_id
)

select * from final
order by client_id is not null, organisation, realm_id
