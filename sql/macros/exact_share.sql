-- amount x part / whole to the cent, half away from zero for a positive product, in integers only
-- (DuckDB divides decimals in floating point); null when whole is 0. amount: money (2 decimals);
-- part and whole: quantities (at most 7 decimals), e.g. the share of a month's covered work past its
-- included hours.
create or replace temp macro exact_share(amount, part, whole) as
    case when whole = 0 or whole is null then null else (
        floor_div(
            2 * (amount * 100)::hugeint * (part * 10000000)::hugeint * sign((whole * 10000000)::hugeint)
                + abs((whole * 10000000)::hugeint),
            2 * abs((whole * 10000000)::hugeint)
        )::decimal(38, 0) * 0.01
    )::decimal(18, 2) end;
