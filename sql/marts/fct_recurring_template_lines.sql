-- grain: one row per revenue-bearing line of a live sales template (a recurring invoice, sales receipt, credit
-- memo or refund receipt): what each occurrence of the template will bill on that line, in the home currency and
-- signed as revenue is, with the category the rules give it (int_category_decisions, as the invoice it makes
-- will be categorised) and the template's schedule, so the forecast reads one table. Subtotal and
-- description-only lines carry no money and are left out; a bundle is one line (its group item decides); a
-- discount line stays a line of its own (its account decides), taken off: a template's discount is not spread
-- over its lines as a document's is.
with lines as (
    select * from staging.stg_qbo__recurring_template_lines
    where template_type in ('Invoice', 'SalesReceipt', 'CreditMemo', 'RefundReceipt')
      and coalesce(detail_type, '') not in ('SubTotalLineDetail', 'DescriptionOnly', 'DescriptionLineDetail')
),

templates as (
    select * from marts.fct_recurring_templates
),

decisions as (
    select * from intermediate.int_category_decisions
),

items as (
    select realm_id, item_id, name from staging.stg_qbo__items
),

final as (
    select
        templates.realm_id,
        templates.template_id,
        templates.template_type,
        templates.template_name,
        lines.line_index,
        templates.is_active,
        templates.customer_id,
        templates.customer,
        templates.client_id,
        templates.client,
        lines.item_id,
        coalesce(items.name, lines.item_name_on_line) as item,  -- as revenue lines name it
        lines.description,
        decisions.category,
        decisions.subcategory,
        decisions.rule,
        decisions.rule_pattern,
        (templates.sign * case when lines.detail_type = 'DiscountLineDetail' then -1 else 1 end
            * home_amount(lines.amount, templates.exchange_rate))::decimal(18, 2) as amount,
        templates.currency,
        templates.interval_type,
        templates.every_n,
        templates.start_date,
        templates.next_date,
        templates.previous_date,
        templates.end_date,
        templates.max_occurrences
    from lines
    join templates using (realm_id, template_id)
    join decisions
        on decisions.realm_id = lines.realm_id
        and decisions.item_id is not distinct from lines.item_id
        and decisions.account_id is not distinct from lines.account_id
        and decisions.class_id is not distinct from coalesce(lines.class_id, templates.class_id)
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
)

select * from final
