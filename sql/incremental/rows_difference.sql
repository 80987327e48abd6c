-- The rows a model's SQL makes now and the rows the copy's table holds do not share, as multisets, kept in a
-- temporary table: one row per row that differs, with difference_count, how many more copies the SQL makes than the
-- table holds (negative: fewer), and difference_rowids, the rowids of the table's copies (those to delete are taken
-- from them). A row held as often by both (most, after a day's edits) is left out. One grouping, as in
-- rows_differ.sql: each row counts 1 in what the SQL makes and -1 in the table.
create or replace temp table {difference} as
select columns(* exclude (difference_side, difference_rowid)),
       sum(difference_side) as difference_count,
       list(difference_rowid) filter (where difference_rowid is not null) as difference_rowids
from (select *, 1 as difference_side, null::bigint as difference_rowid from (
{now}
      )
      union all
      select *, -1, rowid from {before})
group by all
having sum(difference_side) <> 0;
