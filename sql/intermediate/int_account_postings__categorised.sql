-- grain: one row per journal-entry line and per deposit line that posts to an Income account: income
-- QuickBooks' ProfitAndLoss counts without any sales document (a correction, an accrual, a rebate
-- deposited), as a revenue line of its own document type (JournalEntry, Deposit). Same columns as
-- int_sales_lines__posted. The category comes from the rules as for a sales line without an item
-- (int_category_decisions): the account, then the class; no match is 'unmapped'. The client is the customer the line names, if any.
-- A deposit line that banks a payment or sales receipt posts nothing of its own (not here), and an
-- account the warehouse has no record of is not taken as income: an entry can post anywhere.
with postings as (
    select * from staging.stg_qbo__account_postings
),

accounts as (
    select * from staging.stg_qbo__accounts where account_type = 'Income'
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

classes as (
    select * from staging.stg_qbo__classes
),

decisions as (
    select * from intermediate.int_category_decisions
),

income as (
    select postings.*, accounts.fully_qualified_name as income_account, accounts.account_type
    from postings
    join accounts using (realm_id, account_id)
),

decided as (
    select income.*, decisions.category, decisions.subcategory, decisions.rule, decisions.rule_pattern
    from income
    join decisions
        on decisions.realm_id = income.realm_id and decisions.item_id is null
        and decisions.account_id = income.account_id and decisions.class_id is not distinct from income.class_id
),

final as (
    select
        decided.realm_id,
        decided.document_type,
        decided.document_id,
        decided.doc_number,
        decided.txn_date,
        date_trunc('month', decided.txn_date)::date as month,
        decided.line_index,
        0 as child_index,
        'posting' as line_kind,
        decided.customer_id,
        coalesce(customers.customer, decided.customer_name_on_line) as customer,
        customers.parent_customer_id,
        customers.parent_customer,
        coalesce(customers.client_id, decided.customer_id) as client_id,
        coalesce(customers.client, customers.customer, decided.customer_name_on_line) as client,
        null::varchar as item_id,
        null::varchar as item,
        null::varchar as item_name_on_line,
        null::varchar as item_category_path,
        null::varchar as bundle_item_id,
        decided.account_id as income_account_id,
        decided.income_account,
        decided.class_id,
        classes.fully_qualified_name as class,
        decided.description,
        null::decimal(20, 7) as quantity,
        null::decimal(20, 7) as unit_price,
        null::date as service_date,
        decided.amount::decimal(18, 2) as gross_amount,
        0::decimal(18, 2) as discount_amount,
        decided.amount::decimal(18, 2) as amount,
        decided.currency,
        decided.exchange_rate,
        decided.foreign_amount::decimal(18, 2) as foreign_gross_amount,
        decided.category,
        decided.subcategory,
        decided.rule,
        decided.rule_pattern,
        decided.account_type as income_account_type,
        'revenue' as posting
    from decided
    left join customers on customers.realm_id = decided.realm_id and customers.customer_id = decided.customer_id
    left join classes on classes.realm_id = decided.realm_id and classes.class_id = decided.class_id
)

select * from final
