-- Report labor-scopes: every hourly labor item, class and income account combination in use, with the
-- scopes the labor-scope rules gave its lines (empty: no rule tells) and their money; the most money of
-- unknown scope first. Parameters: $realm.
with lines as (
    select * from marts.fct_labor_scopes where $realm is null or realm_id = $realm
),

grouped as (
    select
        coalesce(item, '(no item)') as item, class, income_account, scope_where, scope_what, scope_when,
        realm_id,
        count(*) as lines,
        sum(amount)::decimal(18, 2) as amount
    from lines
    group by all
)

select item, class, income_account, scope_where, scope_what, scope_when, lines, amount, realm_id
from grouped
order by (scope_where is null) or (scope_what is null) or (scope_when is null) desc, abs(amount) desc, item, class
