-- Whether a rule of the rules file (its section's kind, its pattern and that pattern's name_key) names
-- a QuickBooks name of int_rule_names: the same kind, and the same name key, or for an item
-- "id:<QuickBooks Id>". Category rules and labor-scope rules match alike.
create or replace temp macro matches_rule(rule_kind, pattern, pattern_key, name_kind, name_key, id) as
    rule_kind = name_kind
    and (pattern_key = name_key or (rule_kind = 'item' and pattern ilike 'id:%' and trim(substr(pattern, 4)) = id));
