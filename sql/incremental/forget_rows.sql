-- The rows of {model} of the documents it is made again for ({documents}): made again, or gone with the document.
-- {document_type}: the row's type of document (its column, or the one type a model of one type declares).
delete from {model} as kept
using temp.main.{documents} as touched
where kept.realm_id = touched.realm_id and {document_type} = touched.document_type
  and kept.document_id = touched.document_id;
