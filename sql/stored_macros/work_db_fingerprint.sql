-- The fingerprint the work database's stored scalar macros were made from (no row: none stored yet).
select fingerprint from main.stored_macros;
