-- grain: one row per hourly labor revenue line (category labor_hourly), with the scope of its work as the
-- labor-scope rules tell it: where (remote | onsite), what (server | desktop), when (business_hours |
-- after_hours), each decided by the first matching rule kind (item, item category path, income account,
-- class), as categories are; null where no rule tells, never a guess
with lines as (
    select * from marts.fct_revenue_lines where category = 'labor_hourly'
),

matches as (
    select * from intermediate.int_labor_scope_rule_matches
),

aspects as (
    select unnest(['where', 'what', 'when']) as aspect
),

decided as (
    select
        lines.realm_id, lines.document_type, lines.document_id, lines.line_index, lines.child_index,
        aspects.aspect,
        coalesce(by_item.scope, by_path.scope, by_account.scope, by_class.scope) as scope
    from lines
    cross join aspects
    left join matches as by_item
        on by_item.aspect = aspects.aspect and by_item.kind = 'item'
        and by_item.realm_id = lines.realm_id and by_item.id = lines.item_id
    left join matches as by_path
        on by_path.aspect = aspects.aspect and by_path.kind = 'item_category'
        and by_path.realm_id = lines.realm_id and by_path.id = lines.item_id
    left join matches as by_account
        on by_account.aspect = aspects.aspect and by_account.kind = 'income_account'
        and by_account.realm_id = lines.realm_id and by_account.id = lines.income_account_id
    left join matches as by_class
        on by_class.aspect = aspects.aspect and by_class.kind = 'class'
        and by_class.realm_id = lines.realm_id and by_class.id = lines.class_id
),

scopes as (
    select
        realm_id, document_type, document_id, line_index, child_index,
        any_value(scope) filter (where aspect = 'where') as scope_where,
        any_value(scope) filter (where aspect = 'what') as scope_what,
        any_value(scope) filter (where aspect = 'when') as scope_when
    from decided
    group by all
),

final as (
    select
        lines.realm_id, lines.document_type, lines.document_id, lines.line_index, lines.child_index,
        lines.txn_date, lines.month, lines.customer_id, lines.client_id, lines.item_id, lines.item,
        lines.income_account, lines.class, lines.quantity, lines.amount,
        scopes.scope_where, scopes.scope_what, scopes.scope_when
    from lines
    join scopes using (realm_id, document_type, document_id, line_index, child_index)
)

select * from final
