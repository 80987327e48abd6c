-- The staging models made anew whose rows differ from what they held before (models/warehouse/unchanged.py), by name
-- ("staging.name", the one list parameter): kept until a snapshot built with them is published.
insert into parsed.pending_models
select unnest(?::varchar[])
on conflict do nothing
