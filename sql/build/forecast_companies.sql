-- The companies of the new snapshot, each of which a build keeps a forecast for (keep_forecast.sql), in a steady
-- order so a build's kept rows come out the same each time.
select realm_id
from marts.dim_companies
order by realm_id
