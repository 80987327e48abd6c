-- Integer division rounding towards minus infinity, for b > 0 (DuckDB's // truncates towards zero).
create or replace temp macro floor_div(a, b) as (a - (((a % b) + b) % b)) // b;
