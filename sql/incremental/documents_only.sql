-- {relation} as an incremental model or a check of the documents changed reads it: only the rows of the documents it
-- is made again for, or checked for ({documents}). {document_type}: the row's type of document (its column, or the one
-- type a model of one type declares).
create view {views}.{relation} as
select * from {catalog}.{relation} as kept
semi join temp.main.{documents} as touched
    on kept.realm_id = touched.realm_id and {document_type} = touched.document_type
    and kept.document_id = touched.document_id;
