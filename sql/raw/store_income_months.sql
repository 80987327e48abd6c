-- Note in raw.{table} the months $months (first days) of realm $realm whose ProfitAndLoss (on that table's basis)
-- was fetched at $fetched, so a month QuickBooks books no income in is still compared.
insert into raw.{table} select $realm, unnest($months), $fetched;
