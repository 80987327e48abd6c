-- grain: one row per (rule, scope) of the owner's rules file's [labor_scopes.*] sections, as used by the last build
create or replace table settings.labor_scope_rules (
    kind     varchar not null,  -- item | item_category | income_account | class
    pattern  varchar not null,  -- the name (or id:<Id>) as written in the rules file
    aspect   varchar not null,  -- where | what | when
    scope    varchar not null   -- remote, onsite | server, desktop | business_hours, after_hours
);
