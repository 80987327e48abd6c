-- The months of realm $realm whose ProfitAndLoss on basis $basis is owed (raw.income_due), earliest first.
select month from raw.income_due where realm_id = $realm and basis = $basis order by month
