-- grain: one row per sales line of a live, unvoided sales document, with its customer, item, account
-- and category; amounts signed (credit memos and refund receipts negative), net of the line's share of
-- discounts, tax excluded, in the home currency (currency and exchange_rate are the document's;
-- foreign_gross_amount the line in the document's currency). `posting` is what the line's account
-- makes of it, by the account's type: 'revenue' (an Income account, or one the warehouse has no
-- record of, as in a file load without accounts), 'other_income' (Other Income: shown apart, as
-- QuickBooks' ProfitAndLoss does), 'liability' (a deposit or retainer item posting to a liability
-- account: money held for the client, not revenue) or 'not_revenue' (asset, expense, equity accounts).
with lines as (
    select * from intermediate.int_sales_lines__categorised
),

documents as (
    select * from intermediate.int_sales_documents where not is_voided
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

items as (
    select * from staging.stg_qbo__items
),

accounts as (
    select * from staging.stg_qbo__accounts
),

classes as (
    select * from staging.stg_qbo__classes
),

final as (
    select
        lines.realm_id,
        lines.document_type,
        lines.document_id,
        documents.doc_number,
        documents.txn_date,
        date_trunc('month', documents.txn_date)::date as month,
        lines.line_index,
        lines.child_index,
        lines.line_kind,
        documents.customer_id,
        coalesce(customers.customer, documents.customer_name_on_document) as customer,
        customers.parent_customer_id,
        customers.parent_customer,
        coalesce(customers.client_id, documents.customer_id) as client_id,
        coalesce(customers.client, customers.customer, documents.customer_name_on_document) as client,
        lines.item_id,
        coalesce(items.name, lines.item_name_on_line) as item,
        lines.item_name_on_line,
        nullif(array_to_string(list_slice(string_split(items.fully_qualified_name, ':'), 1, -2), ':'), '')
            as item_category_path,
        lines.group_item_id as bundle_item_id,
        lines.income_account_id,
        accounts.fully_qualified_name as income_account,
        lines.class_id,
        classes.fully_qualified_name as class,
        lines.description,
        lines.quantity,
        lines.unit_price,
        lines.service_date,
        (documents.sign * lines.amount)::decimal(18, 2) as gross_amount,
        (documents.sign * lines.discount_amount)::decimal(18, 2) as discount_amount,
        (documents.sign * (lines.amount - lines.discount_amount))::decimal(18, 2) as amount,
        documents.currency,
        documents.exchange_rate,
        (documents.sign * lines.foreign_amount)::decimal(18, 2) as foreign_gross_amount,
        lines.category,
        lines.subcategory,
        lines.rule,
        lines.rule_pattern,
        accounts.account_type as income_account_type,
        case
            when accounts.account_id is null then 'revenue'
            when accounts.account_type = 'Other Income' then 'other_income'
            when accounts.account_type = 'Income' or accounts.classification = 'Revenue' then 'revenue'
            when accounts.classification = 'Liability' then 'liability'
            else 'not_revenue'
        end as posting
    from lines
    join documents using (realm_id, document_type, document_id)
    left join customers
        on customers.realm_id = lines.realm_id and customers.customer_id = documents.customer_id
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
    left join accounts
        on accounts.realm_id = lines.realm_id and accounts.account_id = lines.income_account_id
    left join classes on classes.realm_id = lines.realm_id and classes.class_id = lines.class_id
)

select * from final
