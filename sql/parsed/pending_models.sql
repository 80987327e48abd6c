-- grain: one row per staging model made anew by each build (loads, settings, ProfitAndLoss, company_info) whose rows
-- differ from what it held before, since the published snapshot was built: what a build that starts from a copy of
-- that snapshot makes the models reading it again for (models/warehouse/unchanged.py). Kept until a snapshot built
-- with them is published, as parsed.pending is, so a build that fails after making staging leaves them to the next.
create table parsed.pending_models (
    model  varchar primary key  -- "staging.name"
);
