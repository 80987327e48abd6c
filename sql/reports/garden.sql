-- Report garden: clients ranked by labor over the 12 full months before the as-of month, each with
-- its share of all labor and the band it sits in between the lines ($lines, ascending).
-- Parameters: $as_of, $realm, $lines.
with clients as (
    select * from client_revenue(
        first_full_month($as_of), last_full_month($as_of),
        $realm, true, null, 'accrual'
    )
),

totals as (
    select sum(coalesce(labor_total, 0)) as all_labor from clients
)

select
    row_number() over (order by coalesce(labor_total, 0) desc, customer, customer_id) as rank,
    customer_id,
    customer,
    coalesce(labor_total, 0)::decimal(18, 2) as labor_total,
    exact_ratio(coalesce(labor_total, 0), totals.all_labor) as share_of_labor,
    lines_reached,
    case
        when lines_reached = 0 then 'under ' || line_list[1]
        when lines_reached = len(line_list) then line_list[lines_reached] || ' and over'
        else line_list[lines_reached] || ' to ' || line_list[lines_reached + 1]
    end as band,
    realm_id
from (
    select
        clients.*,
        $lines::decimal(18, 2)[] as line_list,
        len(list_filter($lines::decimal(18, 2)[], lambda line: coalesce(labor_total, 0) >= line)) as lines_reached
    from clients
) as clients, totals
order by rank
