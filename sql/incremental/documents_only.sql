-- {relation} as an incremental model or a check of the documents changed reads it: only the rows of the documents it
-- is made again for, or checked for ({documents}, or another set's rows). {matching}: a row of the set's
-- (incremental.Spec.matching).
create view {views}.{relation} as
select * from {catalog}.{relation} as kept
semi join temp.main.{documents} as touched on {matching};
