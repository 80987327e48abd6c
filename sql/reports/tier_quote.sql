-- `msp-revenue tiers --servers S --desktops D`: each tier's monthly, yearly and setup cost.
-- Parameters: $servers, $desktops, $setup_percent; relation tier_prices as for tiers.sql.
select
    tier,
    monthly,
    (monthly * 12)::decimal(18, 2) as yearly,
    tier_setup_fee(monthly, $setup_percent) as setup_fee
from (
    select tier, position,
        tier_monthly(server_price, desktop_price, servers_only, $servers::integer, $desktops::integer) as monthly
    from tier_prices
)
order by position
