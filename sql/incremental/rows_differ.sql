-- Whether {now} and {before} hold different rows (as multisets: a row twice in one and once in the other differs).
select exists (
    (select * from {now} except all select * from {before})
    union all
    (select * from {before} except all select * from {now})
)
