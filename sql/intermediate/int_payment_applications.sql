-- grain: one row per document a payment line is applied to (an invoice paid, a credit memo used),
-- `amount` in the home currency at the rate of the document it applies to: that is how QuickBooks
-- carries a receivable (what a payment at another rate gains or loses is an exchange gain or loss,
-- not a change in what the client owes). Converted by running total per document, so a document paid
-- in parts is paid, in home currency, exactly its converted total. `foreign_amount`: as on the payment.
with applications as (
    select * from staging.stg_qbo__payment_applications
),

documents as (
    select realm_id, document_type, document_id, exchange_rate from staging.stg_qbo__sales_documents
),

rated as (
    select
        applications.*,
        coalesce(documents.exchange_rate, applications.payment_exchange_rate) as rate,
        sum(applications.amount) over (
            partition by applications.realm_id, applications.applied_to_type, applications.applied_to_id
            order by applications.payment_date, applications.payment_id, applications.line_index
            rows unbounded preceding
        ) as running_total
    from applications
    left join documents
        on documents.realm_id = applications.realm_id and documents.document_type = applications.applied_to_type
        and documents.document_id = applications.applied_to_id
),

final as (
    select
        * exclude (amount, rate, running_total, payment_exchange_rate),
        home_amount(running_total, rate) - home_amount(running_total - amount, rate) as amount,
        amount as foreign_amount
    from rated
)

select * from final
