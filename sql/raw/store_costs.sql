-- Store QuickBooks' cost per account of realm $realm, fetched at $fetched: one row per place in the aligned
-- lists $months, $account_ids, $accounts, $sections and $amounts (text, cast exactly), in one statement.
insert into raw.qbo_profit_and_loss_costs
select $realm, unnest($months), unnest($account_ids), unnest($accounts), unnest($sections),
       unnest($amounts)::decimal(18, 2), $fetched;
