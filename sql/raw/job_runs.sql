-- grain: one row per unattended job and period (a day synced, a week's Monday, a month, an alert's occasion):
-- what `msp-revenue jobs run-due` did for it, so it is done once however often, and by however many, it is called.
-- status: running (claimed; only a run holding the work database has it, so a running row a later run finds was
-- left by a run that was killed), pending (the last attempt failed; tried again from next_attempt_at), done,
-- failed (given up after the last attempt). Times are UTC. No password or token is ever stored here.
create table if not exists raw.job_runs (
    job              varchar   not null,
    period           varchar   not null,
    status           varchar   not null,
    attempts         integer   not null,
    started_at       timestamp not null,
    finished_at      timestamp,
    next_attempt_at  timestamp,
    last_error       varchar,
    detail           varchar,
    sent_to          varchar,
    sent_at          timestamp,
    primary key (job, period)
);
