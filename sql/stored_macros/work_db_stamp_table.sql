-- The fingerprint of the macro files the work database's stored scalar macros (in its main schema) were made from;
-- empty until they are first stored (a warehouse of an earlier version).
create table if not exists main.stored_macros (fingerprint varchar not null);
