-- The rows of {model} of the documents it is made again for ({documents}): made again, or gone with the document.
delete from {model} as kept
using temp.main.{documents} as touched
where kept.realm_id = touched.realm_id and kept.document_type = touched.document_type
  and kept.document_id = touched.document_id;
