-- grain: one row per category rule of the owner's rules file, as used by the last build
create or replace table settings.category_rules (
    kind         varchar not null,  -- item | item_category | income_account | class
    pattern      varchar not null,  -- the name (or id:<Id>) as written in the rules file
    category     varchar not null,
    subcategory  varchar
);
