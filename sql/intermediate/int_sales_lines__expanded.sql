-- grain: one revenue-bearing line per sales document: item lines, bundle children, discount lines.
-- Subtotal and description-only lines are skipped; a bundle counts through its children, so the
-- bundle line itself is skipped unless QuickBooks sent it without children.
-- `amount` is in the home currency: the document's running total (items +, discounts -) converted
-- to the cent (home_amount) less the running total before the line, so each line is within a cent of
-- amount x ExchangeRate and the lines add up to the document's converted total less tax exactly.
-- `foreign_amount` is the line as QuickBooks has it, in the document's currency.
with lines as (
    select * from staging.stg_qbo__sales_lines
),

documents as (
    select realm_id, document_type, document_id, exchange_rate from staging.stg_qbo__sales_documents
),

kept as (
    select
        * exclude (detail_type, child_count),
        case when detail_type = 'DiscountLineDetail' then 'discount' else 'item' end as line_kind
    from lines
    where coalesce(detail_type, '') not in ('SubTotalLineDetail', 'DescriptionOnly', 'DescriptionLineDetail')
      and not (detail_type = 'GroupLineDetail' and child_count > 0)
),

running as (
    select
        kept.*,
        documents.exchange_rate,
        sum(case when line_kind = 'discount' then -amount else amount end) over (
            partition by realm_id, document_type, document_id order by line_index, child_index
            rows unbounded preceding
        ) as running_total
    from kept
    join documents using (realm_id, document_type, document_id)
),

final as (
    select
        * exclude (amount, exchange_rate, running_total),
        case when line_kind = 'discount' then -1 else 1 end * (
            home_amount(running_total, exchange_rate)
            - home_amount(running_total - case when line_kind = 'discount' then -amount else amount end,
                          exchange_rate)
        ) as amount,
        amount as foreign_amount
    from running
)

select * from final
