-- Whether the kept forecasts the new snapshot carried over are those a build on $made_on would make again, its
-- inputs unchanged: the last build made them on the same day, and the raw store holds exactly them (that build kept
-- its own after publishing).
select exists (select 1 from marts.mart_kept_forecasts where made_on = $made_on)
   and not exists (
       (select * from marts.mart_kept_forecasts except all select * from raw.kept_forecasts)
       union all
       (select * from raw.kept_forecasts except all select * from marts.mart_kept_forecasts)
   )
