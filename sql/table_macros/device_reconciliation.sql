-- Devices deployed against devices billed (docs/METRICS.md#devices), as of a date: the latest device export on
-- or before it per company, the clients and kinds billed per device (a device line of the kind in its month or the
-- 12 before: a client on a flat fee, or a Silver client's desktops, is the price sheet's question, not this one's), the device lines of its month (by service month,
-- dated by then) and each client's own
-- rate per device of a kind (its lines' rates, weighted by the devices each bills, to the cent). What report
-- devices sums and its lines list alike.
create or replace temp macro latest_device_export(as_of, only_realm) as table
select realm_id, max(export_date) as export_date
from marts.mart_device_organisations
where export_date <= as_of and (only_realm is null or realm_id = only_realm)
group by realm_id;

create or replace temp macro deployed_devices(as_of, only_realm, only_client) as table
select devices.*
from marts.fct_devices as devices
join latest_device_export(as_of, only_realm) using (realm_id, export_date)
join per_device_clients(as_of, only_realm, only_client) using (realm_id, client_id, kind)
where counted;

create or replace temp macro billed_device_lines(as_of, only_realm, only_client) as table
select *
from marts.fct_billed_device_lines
where service_month = date_trunc('month', as_of::date)::date and txn_date <= as_of
  and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client);

create or replace temp macro per_device_clients(as_of, only_realm, only_client) as table
select distinct realm_id, client_id, device_kind as kind
from marts.fct_billed_device_lines
where service_month between date_trunc('month', as_of::date)::date - interval 12 month
                        and date_trunc('month', as_of::date)::date
  and txn_date <= as_of
  and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client);

create or replace temp macro device_rates(as_of, only_realm, only_client) as table
select realm_id, client_id, device_kind as kind,
       (sum(rate * devices) / nullif(sum(devices), 0))::decimal(18, 2) as rate
from billed_device_lines(as_of, only_realm, only_client)
group by realm_id, client_id, device_kind;

-- The device counts the tier what-if, margin's tool cost and the price sheet read (docs/METRICS.md#devices): a
-- client's counts typed in settings.toml with `override` stand over any export; else a client of its company's
-- latest device export on or before as_of has the servers and desktops that export counts (from its date,
-- `counted_from`); any other client its typed counts. `counted_by` says which: 'device export', 'typed', or
-- 'typed override' (`typed` names the relation of typed counts: realm_id, customer_id, servers, desktops, override).
create or replace temp macro client_device_counts(as_of, typed) as table
with deployed as (
    select counts.realm_id, counts.client_id as customer_id, counts.servers, counts.desktops,
           counts.export_date as counted_from, 'device export' as counted_by
    from marts.mart_device_counts as counts
    join latest_device_export(as_of, null) using (realm_id, export_date)
),

typed_counts as (
    select realm_id, customer_id, servers, desktops, null::date as counted_from,
           case when override then 'typed override' else 'typed' end as counted_by
    from query_table(typed)
),

overriding as (
    select * from typed_counts where counted_by = 'typed override'
)

select * from overriding
union all
select * from deployed anti join overriding using (realm_id, customer_id)
union all
select * from typed_counts anti join deployed using (realm_id, customer_id) where counted_by = 'typed';

-- Where a client's device counts came from, in words (client_device_counts' counted_by and counted_from), as the
-- margin's and the price sheet's lines say it; the pages and printouts say it with sitdown.devices_text.
create or replace temp macro device_counts_source(counted_by, counted_from) as
    case counted_by
        when 'device export' then 'device export of ' || strftime(counted_from, '%Y-%m-%d')
        when 'typed override' then 'typed counts, over the device export'
        else 'typed counts'
    end;
