-- The months $months of realm $realm whose ProfitAndLoss on basis $basis was stored: no longer owed.
delete from raw.income_due where realm_id = $realm and basis = $basis and month in (select unnest($months::date[]))
