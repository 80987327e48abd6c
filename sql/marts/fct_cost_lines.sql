-- grain: one row per line of a bill, expense, vendor credit or journal entry that QuickBooks books as cost:
-- to an Expense, Other Expense or Cost of Goods Sold account (an item-based line to its item's expense
-- account, or for a stock item its asset account: stock bought is no cost until sold). A bill's, expense's
-- or vendor credit's line whose account the warehouse does not hold (its Account records not loaded) is
-- counted, with `account` null: such a line is cost far more often than not. A journal entry's is not: its
-- lines post to every kind of account and balance each other. `amount` is the cost in the
-- home currency, positive when it adds (a journal entry's debit to the account, a bill's line), negative when
-- it takes away (a vendor credit, a card refund, a journal entry's credit). `client_id`: the client the
-- line's customer rolls up to (a job's cost is its client's); null when the line names no customer, which
-- makes it overhead, counted once for the company and never spread over clients.
with accounts as (
    select realm_id, account_id, fully_qualified_name, account_type, classification
    from staging.stg_qbo__accounts
),

items as (
    select realm_id, item_id,
        case when item_type = 'Inventory' then asset_account_id else expense_account_id end as account_id
    from staging.stg_qbo__items
),

expense_lines as (
    select
        lines.realm_id, lines.document_type, lines.document_id, lines.doc_number, lines.txn_date,
        lines.line_index, lines.description, lines.payee_name, lines.billable_status,
        coalesce(lines.account_id, items.account_id) as account_id,
        lines.item_id, lines.customer_id, lines.amount
    from staging.stg_qbo__expense_lines as lines
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
),

journal_lines as (  -- a journal entry's credit to an account is positive in the postings: a debit is cost
    select
        realm_id, document_type, document_id, doc_number, txn_date, line_index, description,
        null::varchar as payee_name, null::varchar as billable_status, account_id, null::varchar as item_id,
        customer_id, -amount as amount
    from staging.stg_qbo__account_postings
    where document_type = 'JournalEntry'
),

lines as (
    select * from expense_lines
    union all
    select * from journal_lines
),

customers as (
    select realm_id, customer_id, client_id, client from intermediate.int_customers__hierarchy
),

final as (
    select
        lines.realm_id,
        lines.document_type,
        lines.document_id,
        lines.doc_number,
        lines.line_index,
        lines.txn_date,
        date_trunc('month', lines.txn_date)::date as month,
        lines.customer_id,
        case when lines.customer_id is not null then coalesce(customers.client_id, lines.customer_id) end
            as client_id,
        customers.client,
        lines.account_id,
        accounts.fully_qualified_name as account,
        accounts.account_type,
        lines.item_id,
        lines.description,
        lines.payee_name,
        lines.billable_status,
        lines.amount
    from lines
    left join accounts on accounts.realm_id = lines.realm_id and accounts.account_id = lines.account_id
    left join customers on customers.realm_id = lines.realm_id and customers.customer_id = lines.customer_id
    where accounts.classification = 'Expense'
       or (accounts.account_id is null and lines.document_type <> 'JournalEntry')
)

select * from final
