-- A tier's monthly price for a client's devices; null when the tier does not fit (a servers-only
-- tier for a client without servers) or the device counts are unknown.
create or replace temp macro tier_monthly(server_price, desktop_price, servers_only, servers, desktops) as
    case
        when servers is null or desktops is null then null
        when servers_only and servers = 0 then null
        else (server_price * servers + case when servers_only then 0 else desktop_price * desktops end)::decimal(18, 2)
    end;

-- The setup fee: a percentage of the monthly fee, to the cent (half away from zero).
create or replace temp macro tier_setup_fee(monthly, setup_percent) as
    round(monthly * setup_percent::decimal(9, 4) * 0.01, 2)::decimal(18, 2);
