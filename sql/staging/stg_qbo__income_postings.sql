-- grain: one row per journal-entry line and per deposit line that posts straight to an account:
-- money QuickBooks' ProfitAndLoss counts in that account without any sales document. A credit to an
-- account is positive (income), a debit negative; deposit lines that only carry a payment to the
-- bank (a LinkedTxn) post nothing of their own. Amounts in the home currency (x the document's
-- ExchangeRate, per line)
with documents as (
    select realm_id, id as document_id, 'journal_entries' as source, payload from raw.journal_entries where not deleted
    union all
    select realm_id, id as document_id, 'deposits' as source, payload from raw.deposits where not deleted
),

lines as (
    select
        realm_id, document_id, source,
        (payload->>'$.TxnDate')::date as txn_date,
        exchange_rate(payload) as rate,
        unnest(json_extract(payload, '$.Line[*]')) as line
    from documents
),

final as (
    select
        realm_id, document_id, source, txn_date,
        line->>'$.JournalEntryLineDetail.AccountRef.value' as account_id,
        case line->>'$.JournalEntryLineDetail.PostingType' when 'Debit' then -1 else 1 end
            * home_amount(coalesce((line->>'$.Amount')::decimal(18, 2), 0), rate) as amount
    from lines
    where source = 'journal_entries' and line->>'$.DetailType' = 'JournalEntryLineDetail'
    union all
    select
        realm_id, document_id, source, txn_date,
        line->>'$.DepositLineDetail.AccountRef.value' as account_id,
        home_amount(coalesce((line->>'$.Amount')::decimal(18, 2), 0), rate) as amount
    from lines
    where source = 'deposits' and line->>'$.DetailType' = 'DepositLineDetail'
      and json_array_length(coalesce(json_extract(line, '$.LinkedTxn'), '[]')) = 0
)

select * from final
