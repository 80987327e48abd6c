-- grain: one row per document whose rows the incremental models make again (sql/incremental/incremental.toml):
-- the records parsed again since the published snapshot was built ({work}.parsed.pending: new, changed or gone;
-- each record's entity is its document_type), and the documents of every customer whose name, parent or client
-- is not what the snapshot has (customers_before: its int_customers__hierarchy; customers_now: made again from
-- staging), which is every customer of a moved or renamed one's tree.
insert into temp.main.documents
with customers_changed as (
    (select * from temp.main.customers_before except select * from temp.main.customers_now)
    union all
    (select * from temp.main.customers_now except select * from temp.main.customers_before)
),

of_customers as (
    select realm_id, document_type, document_id from staging.stg_qbo__sales_documents
    semi join customers_changed using (realm_id, customer_id)
    union all
    select realm_id, document_type, document_id from staging.stg_qbo__account_postings
    semi join customers_changed using (realm_id, customer_id)
),

final as (
    select realm_id, entity as document_type, id as document_id from {work}.parsed.pending
    union
    select * from of_customers
)

select * from final;
