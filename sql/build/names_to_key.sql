-- Every name the models compare by its key (name_key: models/warehouse/name_keys.py) that has no key yet in the
-- work database: each column a model calls name_key on, traced back to the staging, settings or raw column it comes
-- from. A name missing here stops the build at the model that asks for its key, naming it.
with names as (
    -- items by name, full name and each segment of their path (int_rule_names); a line's item is its item's name
    -- or, for an item QuickBooks no longer has, the name on the line (int_sales_lines__posted)
    select name from staging.stg_qbo__items
    union all
    select fully_qualified_name from staging.stg_qbo__items
    union all
    select unnest(string_split(fully_qualified_name, ':')) from staging.stg_qbo__items
    union all
    select item_name_on_line from staging.stg_qbo__sales_lines
    union all
    -- accounts and classes by each segment of their path (int_rule_names)
    select unnest(string_split(fully_qualified_name, ':')) from staging.stg_qbo__accounts
    union all
    select unnest(string_split(fully_qualified_name, ':')) from staging.stg_qbo__classes
    union all
    -- clients by name, as device organisations are matched (int_device_organisations__matched)
    select display_name from staging.stg_qbo__customers
    union all
    -- workers, on the time activity or their own record, or neither (fct_time_worked)
    select worker from staging.stg_qbo__time_activities
    union all
    select worker from staging.stg_qbo__workers
    union all
    select ''
    union all
    -- the owner's rules, agreement items and device organisations; organisations of device exports
    select pattern from settings.category_rules
    union all
    select pattern from settings.labor_scope_rules
    union all
    select pattern from settings.device_kind_rules
    union all
    select item from settings.agreement_months
    union all
    select organisation from settings.device_organisations
    union all
    select organisation from raw.device_exports
)

select distinct name
from names
where name is not null and name not in (select name from main.name_keys)
