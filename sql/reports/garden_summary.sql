-- Report garden --summary: for each line, how many clients and how much labor money sit at or above
-- it and below it (12 full months before the as-of month). Parameters: $as_of, $realm, $lines.
with clients as (
    select coalesce(labor_total, 0) as labor_total
    from client_revenue(
        first_full_month($as_of), last_full_month($as_of),
        $realm, true, null, 'accrual'
    )
),

lines as (
    select unnest($lines::decimal(18, 2)[]) as line
)

select
    line,
    count(labor_total) filter (where labor_total >= line) as clients_at_or_above,
    coalesce(sum(labor_total) filter (where labor_total >= line), 0)::decimal(18, 2) as labor_at_or_above,
    count(labor_total) filter (where labor_total < line) as clients_below,
    coalesce(sum(labor_total) filter (where labor_total < line), 0)::decimal(18, 2) as labor_below
from lines
left join clients on true
group by line
order by line
