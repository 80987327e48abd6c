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

-- Whether a tier that covers `covers` (labor-scope words) would have covered an hourly line of scope
-- (scope_where, scope_what, scope_when): false when a scope the line is known to have is not covered (onsite
-- work under a remote-only tier); true when each of the line's scopes is covered, an unknown one only where
-- the tier covers every value it could be (Gold covers servers and desktops: what the work was on does not
-- matter); otherwise null, unknown, never guessed.
create or replace temp macro tier_covers(covers, scope_where, scope_what, scope_when) as
    case
        when covers is null then null
        when (scope_where is not null and not list_contains(covers, scope_where))
          or (scope_what is not null and not list_contains(covers, scope_what))
          or (scope_when is not null and not list_contains(covers, scope_when)) then false
        when (scope_where is not null or list_has_all(covers, ['remote', 'onsite']))
          and (scope_what is not null or list_has_all(covers, ['server', 'desktop']))
          and (scope_when is not null or list_has_all(covers, ['business_hours', 'after_hours'])) then true
    end;
