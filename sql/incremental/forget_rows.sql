-- The rows of {model} of the documents (or other rows of a set) it is made again for ({documents}): made again, or
-- gone with the document. {matching}: a row of the set's (incremental.Spec.matching: a document's type is its
-- column, or the one type a model of one type declares).
delete from {model} as kept
using temp.main.{documents} as touched
where {matching};
