-- A model's table in the copy made to hold the rows its SQL makes by writing only their difference
-- (rows_difference.sql): as many of a row's copies deleted as it holds too many (by rowid, so one of two equal rows
-- can go), as many inserted as it lacks; then the difference is dropped.
delete from {model}
where rowid in (select unnest(difference_rowids[1:-difference_count]) from temp.main.{difference}
                where difference_count < 0);
insert into {model}
select columns(* exclude (difference_count, difference_rowids, difference_copy))
from (select *, unnest(range(difference_count::bigint)) as difference_copy from temp.main.{difference}
      where difference_count > 0);
drop table temp.main.{difference};
