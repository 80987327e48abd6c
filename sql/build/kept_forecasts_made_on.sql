-- The forecasts this build kept in the new snapshot (made on its day, $made_on), to be written to the raw store
-- once the snapshot is published (raw/keep_forecasts.sql takes them in mart_kept_forecasts' column order).
select *
from marts.mart_kept_forecasts
where made_on = $made_on::date
