-- grain: one row per agreement (labor_msa) revenue line and service month it counts in: what the line
-- adds to that month's MRR, the lines the MRR reports sum (mrr_movements). Which months a line counts in, and how much in
-- each, is fct_service_months' (the same spread the prepayment liability earns by): a line counts in its
-- service month (its date's month when it has none); an item named in the rules file's [agreement_months]
-- spreads evenly over that many months, the odd cents in the first, and a refund or credit memo of such
-- an item takes back the client's last months of it. Agreement income that
-- names no customer (a journal entry without one) is revenue but no client's MRR.
with parts as (
    select * from marts.fct_service_months where category = 'labor_msa' and customer_id is not null
),

final as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, line_index, child_index,
        customer_id, customer, client_id, client, item, category, rule, rule_pattern, currency, service_date,
        first_month, months, month, amount
    from parts
)

select * from final
