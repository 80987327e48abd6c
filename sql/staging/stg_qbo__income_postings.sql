-- grain: one row per journal-entry line and per deposit line that posts straight to an account:
-- money QuickBooks' ProfitAndLoss counts in that account without any sales document. A credit to an
-- account is positive (income), a debit negative; deposit lines that only carry a payment to the
-- bank (a LinkedTxn) post nothing of their own
with journal_entries as (
    select realm_id, id as document_id, payload from raw.journal_entries where not deleted
),

deposits as (
    select realm_id, id as document_id, payload from raw.deposits where not deleted
),

journal_lines as (
    select
        realm_id, document_id, 'journal_entries' as source,
        (payload->>'$.TxnDate')::date as txn_date,
        unnest(json_extract(payload, '$.Line[*]')) as line
    from journal_entries
),

deposit_lines as (
    select
        realm_id, document_id, 'deposits' as source,
        (payload->>'$.TxnDate')::date as txn_date,
        unnest(json_extract(payload, '$.Line[*]')) as line
    from deposits
),

final as (
    select
        realm_id, document_id, source, txn_date,
        line->>'$.JournalEntryLineDetail.AccountRef.value' as account_id,
        case line->>'$.JournalEntryLineDetail.PostingType' when 'Debit' then -1 else 1 end
            * coalesce((line->>'$.Amount')::decimal(18, 2), 0) as amount
    from journal_lines
    where line->>'$.DetailType' = 'JournalEntryLineDetail'
    union all
    select
        realm_id, document_id, source, txn_date,
        line->>'$.DepositLineDetail.AccountRef.value' as account_id,
        coalesce((line->>'$.Amount')::decimal(18, 2), 0) as amount
    from deposit_lines
    where line->>'$.DetailType' = 'DepositLineDetail'
      and json_array_length(coalesce(json_extract(line, '$.LinkedTxn'), '[]')) = 0
)

select * from final
