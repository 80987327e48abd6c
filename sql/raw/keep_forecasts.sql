-- Keep one month of a build's MRR forecast (build/keep_forecast.sql's row) in the raw store, where no build erases
-- it; raw/forget_kept_forecasts.sql first takes away what an earlier build of the same day kept.
insert into raw.kept_forecasts values (?, ?, ?, ?, ?, ?, ?, ?)
