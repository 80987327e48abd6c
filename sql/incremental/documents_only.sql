-- {relation} as an incremental model reads it: only the rows of the documents it is made again for ({documents}).
create view {views}.{relation} as
select * from {catalog}.{relation}
semi join temp.main.{documents} using (realm_id, document_type, document_id);
