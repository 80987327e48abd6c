-- grain: one row per organisation of settings.toml's [devices.organisations], as used by the last build
create or replace table settings.device_organisations (
    organisation  varchar not null,  -- as the RMM names it
    customer_id   varchar not null   -- the QuickBooks customer it is
);
