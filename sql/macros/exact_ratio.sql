-- a / b rounded half away from zero to 6 decimal places, in integers only (DuckDB divides decimals
-- in floating point); null when b is 0. a and b are amounts with at most 2 decimals, or whole numbers.
-- The magnitude is rounded half up and the sign put back, so -2.5e-6 goes to -3e-6 as 2.5e-6 goes to 3e-6.
create or replace temp macro exact_ratio(a, b) as
    case when b = 0 or b is null then null else (
        sign((a * 100)::hugeint) * sign((b * 100)::hugeint) * floor_div(
            2 * abs((a * 100)::hugeint) * 1000000 + abs((b * 100)::hugeint),
            2 * abs((b * 100)::hugeint)
        )::decimal(38, 0) * 0.000001
    )::decimal(18, 6) end;
