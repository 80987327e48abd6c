-- grain: one row per rule of the owner's rules file's [device_kinds.*] sections, as used by the last build
create or replace table settings.device_kind_rules (
    kind         varchar not null,  -- item | item_category | income_account | class
    pattern      varchar not null,  -- the name (or id:<Id>) as written in the rules file
    device_kind  varchar not null   -- server | desktop: what one of a matching line's quantity is
);
