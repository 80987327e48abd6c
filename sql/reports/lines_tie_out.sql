-- Report lines (--kind tie-out:difference): what makes up the tie-out difference of $month on $basis (one income
-- account's with $account, by Id or name): per account, ours from sales lines, journal entries, deposits and
-- (cash basis) unapplied payments (+), and QuickBooks' ProfitAndLoss income (−), adding up to ours − QuickBooks'.
-- Parameters: $month, $account, $realm, $basis.
with tie_out as (
    select * from marts.mart_tie_out
    where month = $month and ($realm is null or realm_id = $realm) and basis = $basis
      and ($account is null or account_id = $account or account = $account)
),

parts as (
    select realm_id, account_id, account, part, amount
    from tie_out
    unpivot (amount for part in (sales_lines, journal_entries, deposits, unapplied_payments, quickbooks))
    where amount <> 0
)

select
    null::date as txn_date, null::varchar as document_type, null::varchar as doc_number, null::varchar as client,
    null::varchar as customer, null::varchar as item, null::varchar as category, null::varchar as rule,
    null::varchar as rule_pattern,
    account || ': ' || case part
        when 'sales_lines' then 'ours, sales lines'
        when 'journal_entries' then 'ours, journal entries'
        when 'deposits' then 'ours, deposits'
        when 'unapplied_payments' then 'ours, unapplied payments'
        when 'quickbooks' then 'less QuickBooks'' ProfitAndLoss'
    end as detail,
    case when part = 'quickbooks' then -amount else amount end::decimal(18, 2) as amount,
    null::varchar as currency, null::varchar as link, realm_id, null::varchar as document_id, null::varchar as client_id
from parts
order by account, part = 'quickbooks', part
