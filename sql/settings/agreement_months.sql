-- grain: one row per agreement item billed for several months on one line (rules file [agreement_months])
create or replace table settings.agreement_months (
    item    varchar not null,  -- the item name as written in the rules file
    months  integer not null
);
