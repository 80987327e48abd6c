-- grain: one row per document whose rows the incremental models make again (sql/incremental/incremental.toml):
-- the records parsed again since the published snapshot was built ({work}.parsed.pending: new, changed or gone;
-- a document's entity is its document_type); the documents of every customer whose name, parent or client is not
-- what the snapshot has (customers_before: its int_customers__hierarchy; customers_now: made again from
-- staging), which is every customer of a moved or renamed one's tree; and the documents with a line that looks
-- up an item, account or class parsed again (its name, its category path, its account, what a rule makes of it:
-- each read from that record alone), directly or through the line's item or the document's class. Time activities
-- and cost documents (bills, expenses, vendor credits) are documents too (the margin's time and cost lines): those of
-- a customer changed, of a worker changed (a time activity's), and the cost lines of an item or account changed.
insert into temp.main.documents
with changed as (
    select entity, realm_id, id from {work}.parsed.pending
),

customers_changed as (
    (select * from temp.main.customers_before except select * from temp.main.customers_now)
    union all
    (select * from temp.main.customers_now except select * from temp.main.customers_before)
),

items as (
    select realm_id, id as item_id from changed where entity = 'Item'
    union all  -- an item whose account a line without one of its own takes (income; a cost line's expense or asset)
    select realm_id, item_id from staging.stg_qbo__items
    where (realm_id, income_account_id) in (select (realm_id, id) from changed where entity = 'Account')
       or (realm_id, expense_account_id) in (select (realm_id, id) from changed where entity = 'Account')
       or (realm_id, asset_account_id) in (select (realm_id, id) from changed where entity = 'Account')
),

lookups as (
    select realm_id, id, entity from changed where entity in ('Account', 'Class')
),

of_customers as (
    select realm_id, document_type, document_id from staging.stg_qbo__sales_documents
    semi join customers_changed using (realm_id, customer_id)
    union all
    select realm_id, document_type, document_id from staging.stg_qbo__account_postings
    semi join customers_changed using (realm_id, customer_id)
    union all
    select realm_id, document_type, document_id from staging.stg_qbo__expense_lines
    semi join customers_changed using (realm_id, customer_id)
    union all
    select realm_id, 'TimeActivity', time_activity_id from staging.stg_qbo__time_activities
    semi join customers_changed using (realm_id, customer_id)
),

of_workers as (  -- a time activity's worker's name and cost rate, when its own record has none
    select realm_id, 'TimeActivity', time_activity_id from staging.stg_qbo__time_activities
    where (realm_id, worker_type, worker_id) in
        (select (realm_id, entity, id) from changed where entity in ('Employee', 'Vendor'))
),

of_lookups as (
    select realm_id, document_type, document_id from staging.stg_qbo__sales_lines as lines
    where (realm_id, item_id) in (select (realm_id, item_id) from items)
       or (realm_id, account_id, 'Account') in (select (realm_id, id, entity) from lookups)
       or (realm_id, class_id, 'Class') in (select (realm_id, id, entity) from lookups)
    union all
    select realm_id, document_type, document_id from staging.stg_qbo__sales_documents
    where (realm_id, class_id, 'Class') in (select (realm_id, id, entity) from lookups)
    union all
    select realm_id, document_type, document_id from staging.stg_qbo__account_postings
    where (realm_id, account_id, 'Account') in (select (realm_id, id, entity) from lookups)
       or (realm_id, class_id, 'Class') in (select (realm_id, id, entity) from lookups)
    union all  -- a cost line's account (its own, or its item's), and its item's name
    select realm_id, document_type, document_id from staging.stg_qbo__expense_lines
    where (realm_id, item_id) in (select (realm_id, item_id) from items)
       or (realm_id, account_id, 'Account') in (select (realm_id, id, entity) from lookups)
),

final as (
    select realm_id, entity as document_type, id as document_id from changed
    union
    select * from of_customers
    union
    select * from of_workers
    union
    select * from of_lookups
)

select * from final;
