-- Note the months $months (first days) of realm $realm whose ProfitAndLoss was fetched at $fetched, so a
-- month QuickBooks books no income in is still compared.
insert into raw.qbo_profit_and_loss_months select $realm, unnest($months), $fetched;
