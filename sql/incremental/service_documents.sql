-- grain: one row per document whose rows fct_service_months and the models that read it make again: the affected
-- documents (temp.main.documents), and every document of a client with an agreement-months item that an affected
-- document's line bills or takes back, before or after, when a credit memo or refund receipt line of the client
-- takes months of that item back: such a line reads the client's bills of the item by their dates, and the lines
-- that took months back before it. Any other line's months are its own alone. Made when fct_revenue_lines is
-- made again and fct_service_months is not yet.
insert into temp.main.service_documents
with spans as (
    select name_key(item) as item_key from staging.stg_settings__agreement_months
),

touched as (
    select realm_id, client_id, name_key(item) as item_key from marts.fct_service_months
    semi join temp.main.documents using (realm_id, document_type, document_id)
    union
    select realm_id, client_id, name_key(item) from marts.fct_revenue_lines
    semi join temp.main.documents using (realm_id, document_type, document_id)
),

taking_back as (
    select distinct realm_id, client_id, name_key(item) as item_key from marts.fct_revenue_lines
    where document_type in ('RefundReceipt', 'CreditMemo') and amount < 0
),

clients as (
    select distinct realm_id, client_id
    from touched
    join taking_back using (realm_id, client_id, item_key)
    semi join spans using (item_key)
),

final as (
    select realm_id, document_type, document_id from temp.main.documents
    union
    select realm_id, document_type, document_id from marts.fct_revenue_lines
    semi join clients using (realm_id, client_id)
)

select * from final;
