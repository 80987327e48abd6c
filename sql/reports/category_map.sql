-- Report categories: every item and income account that revenue lines use, with the category and
-- the rule that decided it and their money; unmapped first. Parameters: $realm.
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
        min(txn_date) as first_used,
        max(txn_date) as last_used
    from lines
    group by category, subcategory, rule, rule_pattern, item_id, coalesce(item, '(no item)'),
        item_category_path, income_account, realm_id
)

select
    category, subcategory, rule, rule_pattern, item_id, item, item_category_path, income_account,
    lines, amount, first_used, last_used, realm_id
from grouped
order by category <> 'unmapped', abs(amount) desc, item
