-- Remove what raw.{table} holds of QuickBooks' ProfitAndLoss for realm $realm in the months $months (first
-- days), before those months are stored anew; the months between them that a window also asked for stay.
delete from raw.{table} where realm_id = $realm and list_contains($months, month);
