-- The part of `cents` that month `step` (0 first) of a spread over `span` months gets: equal whole cents,
-- the odd cents in the first month, so the parts add up to the whole. One rule for what an agreement line
-- earns month by month (fct_service_months) and what a template's occurrence counts in each month of MRR
-- it bills for (the forecast).
create or replace temp macro spread_cents(cents, span, step) as
    cents // span + case when step = 0 then cents - (cents // span) * span else 0 end;
