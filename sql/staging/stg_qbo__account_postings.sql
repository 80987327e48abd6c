-- grain: one row per journal-entry line and per deposit line that posts straight to an account:
-- money QuickBooks books in that account without any sales document (income, accounts receivable,
-- anything else; later models pick the accounts they need). A credit to an account is positive, a
-- debit negative (a deposit line is a credit to its account: the bank is the debit); deposit lines that
-- only carry a payment or sales receipt to the bank (a LinkedTxn) post nothing of their own.
-- `customer_id`: the customer the line names (a journal entry's Entity of Type Customer, a deposit
-- line's Entity of type CUSTOMER). Amounts in the home currency (x the document's ExchangeRate, per line).
with documents as (
    select realm_id, id as document_id, 'JournalEntry' as document_type, 'journal_entries' as source, payload
    from raw.journal_entries where not deleted
    union all
    select realm_id, id as document_id, 'Deposit', 'deposits', payload from raw.deposits where not deleted
),

-- Each payload parsed once, and each line: json_extract_string reads a list of paths in one pass, each as `->>`
-- reads it (the same function); a `->>` per field parsed the whole payload (or line) again for each. The lines
-- (a wildcard) are the payload's other read.
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.DocNumber',                 -- 1
            '$.TxnDate',                   -- 2
            '$.PrivateNote',               -- 3
            '$.CurrencyRef.value',         -- 4
            '$.ExchangeRate'               -- 5
        ]) as f,
        json_extract(payload, '$.Line[*]') as document_lines  -- read once for both its lines and their places
    from documents
),

lines as (
    select
        realm_id, document_id, document_type, source,
        f[1] as doc_number,
        (f[2])::date as txn_date,
        f[3] as private_note,
        f[4] as currency,
        exchange_rate(f[5]) as rate,
        unnest(document_lines) as line,
        generate_subscripts(document_lines, 1) as line_index
    from parsed
),

-- a line's detail is read from the kind its document has: both kinds' paths are in the line's one list
line_texts as (
    select
        *,
        json_extract_string(line, [
            '$.Id',                                                  -- 1
            '$.Description',                                         -- 2
            '$.Amount',                                              -- 3
            '$.DetailType',                                          -- 4
            '$.JournalEntryLineDetail.AccountRef.value',             -- 5: JournalEntryLineDetail 5-14
            '$.JournalEntryLineDetail.AccountRef.name',
            '$.JournalEntryLineDetail.ClassRef.value',
            '$.JournalEntryLineDetail.Entity.Type',
            '$.JournalEntryLineDetail.Entity.type',
            '$.JournalEntryLineDetail.Entity.EntityRef.value',
            '$.JournalEntryLineDetail.Entity.value',
            '$.JournalEntryLineDetail.Entity.EntityRef.name',
            '$.JournalEntryLineDetail.Entity.name',
            '$.JournalEntryLineDetail.PostingType',
            '$.DepositLineDetail.AccountRef.value',                  -- 15: DepositLineDetail 15-24
            '$.DepositLineDetail.AccountRef.name',
            '$.DepositLineDetail.ClassRef.value',
            '$.DepositLineDetail.Entity.Type',
            '$.DepositLineDetail.Entity.type',
            '$.DepositLineDetail.Entity.EntityRef.value',
            '$.DepositLineDetail.Entity.value',
            '$.DepositLineDetail.Entity.EntityRef.name',
            '$.DepositLineDetail.Entity.name',
            '$.DepositLineDetail.PostingType'
        ]) as t
    from lines
),

details as (
    select
        line_texts.* exclude (line, t),
        t[1] as line_id,
        t[2] as description,
        coalesce((t[3])::decimal(18, 2), 0) as line_amount,
        -- the detail's ten fields, in the order of either kind's paths above
        case source when 'journal_entries' then t[5:14] else t[15:24] end as detail,
        -- a deposit line carrying a payment or sales receipt to the bank (a LinkedTxn) posts nothing of its own;
        -- read only for a deposit line of that kind (a wildcard, which the list cannot hold)
        case source when 'journal_entries' then t[4] = 'JournalEntryLineDetail'
                    else t[4] = 'DepositLineDetail'
                         and json_array_length(coalesce(json_extract(line, '$.LinkedTxn'), '[]')) = 0 end as posts
    from line_texts
),

final as (
    select
        realm_id, document_id, document_type, source, doc_number, txn_date, line_index, line_id,
        coalesce(description, private_note) as description,
        detail[1] as account_id,
        detail[2] as account_name_on_line,
        detail[3] as class_id,
        case
            when lower(coalesce(detail[4], detail[5], '')) = 'customer' then coalesce(detail[6], detail[7])
        end as customer_id,
        coalesce(detail[8], detail[9]) as customer_name_on_line,
        case when detail[10] = 'Debit' then -1 else 1 end * home_amount(line_amount, rate) as amount,
        case when detail[10] = 'Debit' then -1 else 1 end * line_amount as foreign_amount,
        currency,
        rate as exchange_rate
    from details
    where posts
)

select * from final
