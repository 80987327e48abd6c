-- grain: one row per (rule set, aspect, realm, item, income account, class) of int_rule_keys that a rule of the
-- set decides: the first rule kind that matches, in the rules' order (docs/METRICS.md): the item, then the item's
-- category path, then the income account, then the class. The one home of that order: categories
-- (int_category_decisions), labor scopes (fct_labor_scopes, each aspect on its own) and device kinds
-- (fct_billed_device_lines) all read it. A key no rule of a set matches has no row of that set.
with keys as (
    select distinct realm_id, item_id, income_account_id, class_id from intermediate.int_rule_keys
),

matches as (
    select * from intermediate.int_rule_matches
),

rule_order as (
    select * from (values ('item', 1), ('item_category', 2), ('income_account', 3), ('class', 4))
        as rule_order (kind, precedence)
),

lookups as (
    select
        keys.*,
        rule_order.kind,
        rule_order.precedence,
        case rule_order.kind
            when 'income_account' then keys.income_account_id
            when 'class' then keys.class_id
            else keys.item_id  -- an item by its own name and by its category path
        end as id
    from keys
    cross join rule_order
),

final as (
    select
        matches.rule_set, matches.aspect,
        lookups.realm_id, lookups.item_id, lookups.income_account_id, lookups.class_id,
        matches.kind as rule, matches.pattern as rule_pattern, matches.decision, matches.subcategory
    from lookups
    join matches using (realm_id, kind, id)
    qualify row_number() over (
        partition by matches.rule_set, matches.aspect, lookups.realm_id, lookups.item_id, lookups.income_account_id,
            lookups.class_id
        order by lookups.precedence
    ) = 1
)

select * from final
