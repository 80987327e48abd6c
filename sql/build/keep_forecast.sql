-- The MRR forecast this build makes for one company as of its day (mrr_forecast, as report forecast shows it, 12
-- months), kept in the new snapshot beside the forecasts of earlier days. Parameters: $realm, $made_on, $months.
insert into marts.mart_kept_forecasts
select $realm, $made_on::date, month, committed_mrr, expected_mrr, from_templates, billed_ahead, carried
from mrr_forecast($made_on, $months, $realm)
