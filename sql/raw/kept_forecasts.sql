-- grain: one row per company, day a forecast was made and month it forecast: the MRR forecast each build makes
-- (report forecast as of the build's day, its 12 months), kept so a month that is over shows what was forecast for
-- it against what came (report forecast-accuracy). Raw, not a model: a forecast made cannot be made again later
-- (the templates change), so no build, full or not, erases it; another build of the same day replaces that day's.
create table if not exists raw.kept_forecasts (
    realm_id        varchar       not null,
    made_on         date          not null,  -- the build's day: the forecast's as-of date
    month           date          not null,  -- the month forecast (its first day)
    committed_mrr   decimal(18, 2) not null,
    expected_mrr    decimal(18, 2) not null,
    from_templates  decimal(18, 2) not null,
    billed_ahead    decimal(18, 2) not null,
    carried         decimal(18, 2) not null,
    primary key (realm_id, made_on, month)
);
