-- The months $months (first days) of realm $realm whose ProfitAndLoss on basis $basis the tie-out is owed.
insert into raw.income_due
select $realm, $basis, month from (select distinct unnest($months::date[]) as month)
on conflict do nothing
