-- grain: one row per hourly labor revenue line (category labor_hourly), with the scope of its work as the
-- labor-scope rules tell it: where (remote | onsite), what (server | desktop), when (business_hours |
-- after_hours), each decided by the first matching rule kind (item, item category path, income account,
-- class), as categories are (int_rule_decisions); null where no rule tells, never a guess
with lines as (
    select * from marts.fct_revenue_lines where category = 'labor_hourly'
),

decisions as (
    select * from intermediate.int_rule_decisions where rule_set = 'labor_scope'
),

scopes as (
    select
        realm_id, item_id, income_account_id, class_id,
        any_value(decision) filter (where aspect = 'where') as scope_where,
        any_value(decision) filter (where aspect = 'what') as scope_what,
        any_value(decision) filter (where aspect = 'when') as scope_when
    from decisions
    group by all
),

final as (
    select
        lines.realm_id, lines.document_type, lines.document_id, lines.line_index, lines.child_index,
        lines.txn_date, lines.month, lines.customer_id, lines.client_id, lines.item_id, lines.item,
        lines.income_account, lines.class, lines.quantity, lines.amount,
        scopes.scope_where, scopes.scope_what, scopes.scope_when
    from lines
    left join scopes
        on scopes.realm_id = lines.realm_id
        and scopes.item_id is not distinct from lines.item_id
        and scopes.income_account_id is not distinct from lines.income_account_id
        and scopes.class_id is not distinct from lines.class_id
)

select * from final
