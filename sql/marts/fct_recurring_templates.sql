-- grain: one row per live recurring template (QuickBooks' RecurringTransaction), with the customer it bills
-- and the client that customer rolls up to (a job's template is its client's, as revenue is). What the
-- template will bill is QuickBooks' schedule as it stands: the next date, every `every_n` `interval_type`,
-- until `end_date` or `max_occurrences`; an inactive (paused) template bills nothing until it is made active.
-- `sign` is revenue's: a credit memo or refund receipt template takes money back.
with templates as (
    select * exclude (lines) from staging.stg_qbo__recurring_templates
),

customers as (
    select realm_id, customer_id, customer, parent_customer_id, parent_customer, client_id, client
    from intermediate.int_customers__hierarchy
),

final as (
    select
        templates.realm_id,
        templates.template_id,
        templates.template_type,
        templates.template_name,
        templates.recur_type,
        templates.is_active,
        case when templates.template_type in ('CreditMemo', 'RefundReceipt') then -1 else 1 end as sign,
        templates.customer_id,
        coalesce(customers.customer, templates.customer_name_on_template) as customer,
        customers.parent_customer_id,
        customers.parent_customer,
        customers.client_id,
        customers.client,
        templates.vendor_id,
        templates.interval_type,
        templates.every_n,
        templates.day_of_month,
        templates.day_of_week,
        templates.week_of_month,
        templates.month_of_year,
        templates.days_before,
        templates.remind_days,
        templates.max_occurrences,
        templates.start_date,
        templates.end_date,
        templates.next_date,
        templates.previous_date,
        templates.total_amount,
        templates.foreign_total_amount,
        templates.currency,
        templates.exchange_rate,
        templates.class_id,
        templates.last_updated
    from templates
    left join customers
        on customers.realm_id = templates.realm_id and customers.customer_id = templates.customer_id
)

select * from final
