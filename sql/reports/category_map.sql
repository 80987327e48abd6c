-- Report categories: every item and income account that revenue lines use, with the category and
-- the rule that decided it and their money; unmapped first. Parameters: $as_of, $realm.
-- Lines and money count every line, whatever its date, since a rule moves them all (the mapping's preview
-- says so); first and last used are dates by the as-of date, as every date a report shows is history: an
-- invoice dated ahead (next month's agreement) does not make "last used" a day still to come.
with lines as (
    select * from marts.fct_revenue_lines where $realm is null or realm_id = $realm
),

grouped as (
    select
        category, subcategory, rule, rule_pattern, item_id,
        coalesce(item, '(no item)') as item,
        item_category_path, income_account, realm_id,
        count(*) as lines,
        sum(amount)::decimal(18, 2) as amount,
        min(txn_date) filter (where txn_date <= $as_of) as first_used,
        max(txn_date) filter (where txn_date <= $as_of) as last_used
    from lines
    group by category, subcategory, rule, rule_pattern, item_id, coalesce(item, '(no item)'),
        item_category_path, income_account, realm_id
)

select
    category, subcategory, rule, rule_pattern, item_id, item, item_category_path, income_account,
    lines, amount, first_used, last_used, realm_id
from grouped
order by category <> 'unmapped', abs(amount) desc, item
