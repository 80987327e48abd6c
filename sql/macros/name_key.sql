-- How names are compared with category rules: case, spaces and punctuation ignored,
-- so "Labor - Hourly", "labor hourly" and "LaborHourly" are one name.
create or replace temp macro name_key(name) as regexp_replace(lower(name), '[^a-z0-9]', '', 'g');
