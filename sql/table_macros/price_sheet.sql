-- The price sheet against what agreement clients pay (docs/METRICS.md#price-sheet), as of a date: a client's
-- agreement lines of its month (the MRR lines of as_of's month dated by then: a quarter paid ahead counts its
-- month's third), the tier they name (item_tiers; the widest when they name two) and the client's device counts
-- (client_device_counts over the relation `typed`), priced at the tier's list prices (`prices`; tier_monthly:
-- empty where the tier does not fit or no counts are known). What report price-sheet sums and its lines list.
create or replace temp macro price_sheet_agreement_lines(as_of, only_realm, only_client) as table
select *
from marts.fct_mrr_lines
where month = date_trunc('month', as_of::date)::date and txn_date <= as_of
  and (only_realm is null or realm_id = only_realm) and (only_client is null or client_id = only_client);

create or replace temp macro price_sheet_clients(as_of, only_realm, only_client, prices, typed) as table
with agreement as (
    select realm_id, client_id, sum(amount) as actual_monthly
    from price_sheet_agreement_lines(as_of, only_realm, only_client)
    group by realm_id, client_id
    having sum(amount) <> 0  -- a month whose agreement lines were all given back is no agreement's
),

named as (
    select lines.realm_id, lines.client_id, named.tier
    from price_sheet_agreement_lines(as_of, only_realm, only_client) as lines
    join item_tiers(prices) as named on named.realm_id = lines.realm_id and named.item = lines.item
    qualify row_number() over (partition by lines.realm_id, lines.client_id order by named.position desc) = 1
),

devices as (
    select * from client_device_counts(as_of, typed)
)

select
    agreement.realm_id, agreement.client_id, named.tier, devices.servers, devices.desktops,
    devices.counted_by, devices.counted_from, prices.server_price,
    case when not prices.servers_only then prices.desktop_price end as desktop_price,
    agreement.actual_monthly::decimal(18, 2) as actual_monthly,
    tier_monthly(prices.server_price, prices.desktop_price, prices.servers_only, devices.servers, devices.desktops)
        as list_monthly
from agreement
left join named using (realm_id, client_id)
left join query_table(prices) as prices on prices.tier = named.tier
left join devices on devices.realm_id = agreement.realm_id and devices.customer_id = agreement.client_id;
