-- The grain check (one_row_per_key.sql) of {model}, in a build from a copy of the last snapshot that made its rows
-- again only for the documents of temp.main.{documents}: its key ({key}) holds the document, so two rows sharing it
-- are of one document, and the rows of every other document are those the copy's own check found unique.
-- {document_type}: the row's type of document (its column, or the one type a model of one type declares).
select {key}, count(*) as copies
from {model} as checked
semi join temp.main.{documents} as touched
    on checked.realm_id = touched.realm_id and {document_type} = touched.document_type
    and checked.document_id = touched.document_id
group by all
having count(*) > 1
