-- grain: one row per (realm, item, line's account, class) that a sales line, a recurring template's line or
-- a journal-entry or deposit line names (int_rule_keys), with the category the first matching rule gives
-- (int_rule_decisions: the item, then the item's category path, then the income account (the line's, else the
-- item's), then the class (the line's, else its document's or template's)); no match is 'unmapped', never a
-- guess. One home for the category: sales lines (int_sales_lines__categorised), postings to income
-- (int_account_postings__categorised: no item, so the account, then the class) and template lines
-- (fct_recurring_template_lines) all join to it, so a template's line is what the invoice it makes will be.
with keys as (
    select * from intermediate.int_rule_keys
),

decisions as (
    select * from intermediate.int_rule_decisions where rule_set = 'category'
),

final as (
    select
        keys.realm_id,
        keys.item_id,
        keys.account_id,
        keys.class_id,
        keys.income_account_id,
        coalesce(decisions.decision, 'unmapped') as category,
        decisions.subcategory,
        coalesce(decisions.rule, 'unmapped') as rule,
        decisions.rule_pattern
    from keys
    left join decisions
        on decisions.realm_id = keys.realm_id
        and decisions.item_id is not distinct from keys.item_id
        and decisions.income_account_id is not distinct from keys.income_account_id
        and decisions.class_id is not distinct from keys.class_id
)

select * from final
