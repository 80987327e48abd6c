-- grain: one row per (realm, organisation name key) of any device export, with the QuickBooks client it is:
-- the owner's mapping ([devices.organisations]) first, as it is how a wrong or missing name match is put right;
-- else the one client whose name has the organisation's name key (as category rules compare names). An
-- organisation neither names is unmatched, with why, never dropped.
with organisations as (
    select realm_id, organisation_key, min(organisation) as organisation
    from staging.stg_rmm__devices
    group by realm_id, organisation_key
),

mapping as (
    select organisation_key, min(customer_id) as customer_id
    from staging.stg_settings__device_organisations
    group by organisation_key
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

clients_by_name as (
    select realm_id, name_key(customer) as customer_key, min(customer_id) as client_id, count(*) as clients
    from customers
    where customer_id = client_id
    group by realm_id, customer_key
),

final as (
    select
        organisations.realm_id,
        organisations.organisation_key,
        organisations.organisation,
        case
            when mapping.customer_id is not null then mapped.client_id
            when by_name.clients = 1 then by_name.client_id
        end as client_id,
        case
            when mapping.customer_id is not null and mapped.client_id is not null then 'mapping'
            when mapping.customer_id is null and by_name.clients = 1 then 'name'
        end as matched_by,
        case
            when mapping.customer_id is not null and mapped.client_id is null
                then 'mapped to customer Id ' || mapping.customer_id || ', which this company does not have'
            when mapping.customer_id is null and by_name.clients > 1
                then 'its name is the name of ' || by_name.clients || ' clients: map it to one'
            when mapping.customer_id is null and by_name.clients is null
                then 'no client has its name: map it to one'
        end as why_unmatched
    from organisations
    left join mapping using (organisation_key)
    left join customers as mapped
        on mapped.realm_id = organisations.realm_id and mapped.customer_id = mapping.customer_id
    left join clients_by_name as by_name
        on by_name.realm_id = organisations.realm_id and by_name.customer_key = organisations.organisation_key
)

select * from final
