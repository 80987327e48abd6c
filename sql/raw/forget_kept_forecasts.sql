-- What the builds of $made_on kept of their forecasts: the day's latest build replaces it.
delete from raw.kept_forecasts where made_on = $made_on
