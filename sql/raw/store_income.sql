-- Store QuickBooks' income per account of realm $realm, fetched at $fetched, into raw.{table} (the accrual or
-- the cash ProfitAndLoss's): one row per place in the aligned lists $months, $account_ids, $accounts and
-- $amounts (text, so each amount is cast exactly, never through a float); one statement, where a row at a time
-- took seconds for ten years of months.
insert into raw.{table}
select $realm, unnest($months), unnest($account_ids), unnest($accounts), unnest($amounts)::decimal(18, 2), $fetched;
