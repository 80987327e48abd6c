-- One month of the MRR forecast this build made for a company (report forecast as of the build's day), kept in the
-- new snapshot beside the forecasts of earlier days: realm, made on, month, committed, expected, and committed's
-- parts (from templates, billed ahead, carried).
insert into marts.mart_kept_forecasts values (?, ?, ?, ?, ?, ?, ?, ?)
