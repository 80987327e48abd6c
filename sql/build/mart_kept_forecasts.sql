-- grain: one row per company, day a forecast was made and month it forecast (raw.kept_forecasts): the forecasts
-- kept by the builds before this one's day; this build adds its own (keep_forecast). A table the build writes, as
-- mart_build_info, since readers see only marts.
create or replace table marts.mart_kept_forecasts as
select * from raw.kept_forecasts
where made_on <> $made_on
