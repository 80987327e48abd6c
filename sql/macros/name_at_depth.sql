-- The name `levels` up a QuickBooks FullyQualifiedName ("Client:Site:Job"): 0 is the record's own
-- name, 1 its parent's, and so on; null above the top. QuickBooks names cannot contain ":".
create or replace temp macro name_at_depth(fully_qualified_name, levels) as
    case when levels < len(string_split(fully_qualified_name, ':'))
        then string_split(fully_qualified_name, ':')[len(string_split(fully_qualified_name, ':')) - levels] end;
