-- grain: one row per record about to be stored in raw.{table} (realm $realm): $ids with their $payloads and
-- whether each is a $deleted stub. Whether its posting differs from the stored version's (a new record and a
-- deletion do; a memo, a number or an email status does not), the month the stored, live version was in and
-- whether there is one;
-- $compare false (a full pass) compares nothing and every record has changed.
-- The posting is what QuickBooks' ProfitAndLoss reads of a record (docs/DECISIONS.md, "What counts as a posting
-- change"): its date, amounts, currency and tax, the accounts it names, and its lines whole but for their
-- description, Id and line number; a deleted record has none. One fingerprint for every entity: a field one
-- entity lacks is null in both versions.
with incoming as (
    select unnest($ids::varchar[]) as id, unnest($payloads::varchar[]) as payload,
           unnest($deleted::boolean[]) as deleted
),

stored as (
    select id, payload, deleted
    from raw.{table}
    where realm_id = $realm and id in (select id from incoming)
),

-- only records stored before are compared: a new one has changed. A full pass stores pages of every record, whose
-- months are all asked for anyway: comparing them would parse each twice more for nothing
versions as (
    select 'incoming' as version, id, payload, deleted from incoming
    where $compare and id in (select id from stored)
    union all
    select 'stored', id, payload, deleted from stored
),

postings as materialized (
    select
        version, id, not deleted as live,
        case when not deleted and payload->>'$.TxnDate' is not null
             then date_trunc('month', (payload->>'$.TxnDate')::date)::date end as month,
        -- the document's fields in one reading of its JSON (a path at a time reads it once per path), then its lines
        case when $compare and not deleted then md5(
            json_extract(payload, ['$.TxnDate', '$.TotalAmt', '$.HomeTotalAmt', '$.CurrencyRef', '$.ExchangeRate',
                                   '$.TxnTaxDetail', '$.ApplyTaxAfterDiscount', '$.GlobalTaxCalculation',
                                   '$.Deposit', '$.DepositToAccountRef', '$.UnappliedAmt', '$.Credit',
                                   '$.AccountRef', '$.APAccountRef', '$.ARAccountRef', '$.Adjustment'])::varchar
            -- a line's amount, detail type, detail (item, account, posting type, tax code, ...) and what it is
            -- applied to (LinkedTxn): whatever else QuickBooks adds to a line counts too, unsure as we are
            || list_transform(
                coalesce(json_extract(payload, '$.Line[*]'), []),
                lambda line: list_filter(map_entries(json_transform(line, '"MAP(VARCHAR, JSON)"')),
                                         lambda field: field.key not in ('Description', 'Id', 'LineNum')))::varchar
        ) end as posting
    from versions
),

final as (
    select
        incoming.id,
        -- a stub of a record never stored removes nothing
        case when stored.id is null then not incoming.deleted
             else not $compare or new.posting is distinct from stored.posting end as changed,
        stored.month as replaced_month,
        -- a stored version that is no deletion stub: what a payment's replaced version was applied to is read only for
        -- those (raw/replaced_applied_months.sql: a day's new payments replace none)
        coalesce(stored.live, false) as replaces_live
    from incoming
    left join postings as new on new.version = 'incoming' and new.id = incoming.id
    left join postings as stored on stored.version = 'stored' and stored.id = incoming.id
)

select * from final
