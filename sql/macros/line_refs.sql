-- What a sales line says, whichever kind it is (an item line, a bundle (group) line, a discount line): its Id,
-- kind, description and amount, its item, the item's name as the line has it, quantity, unit price, class and
-- account (an item line's income account, a discount's account). One home for sales documents' lines and
-- recurring templates' lines.
-- A line is parsed once: a model reads `json_extract_string(line, sales_line_paths())` (its own paths may follow
-- the list: `sales_line_paths() || [...]`), one pass that gives each path what `line->>path` gives (the same
-- function), and sales_line() names them. A `->>` per field parsed the whole line again for each.
create or replace temp macro sales_line_paths() as [
    '$.Id',                                              -- 1
    '$.DetailType',                                      -- 2
    '$.Description',                                     -- 3
    '$.Amount',                                          -- 4
    '$.SalesItemLineDetail.ItemRef.value',               -- 5
    '$.GroupLineDetail.GroupItemRef.value',              -- 6
    '$.SalesItemLineDetail.ItemRef.name',                -- 7
    '$.GroupLineDetail.GroupItemRef.name',               -- 8
    '$.SalesItemLineDetail.Qty',                         -- 9
    '$.GroupLineDetail.Quantity',                        -- 10
    '$.SalesItemLineDetail.UnitPrice',                   -- 11
    '$.SalesItemLineDetail.ClassRef.value',              -- 12
    '$.DiscountLineDetail.ClassRef.value',               -- 13
    '$.SalesItemLineDetail.ItemAccountRef.value',        -- 14
    '$.DiscountLineDetail.DiscountAccountRef.value',     -- 15
    '$.SalesItemLineDetail.ServiceDate',                 -- 16
    '$.GroupLineDetail'                                  -- 17: a bundle's lines are under it
];
-- The line's fields, named, from the texts read by sales_line_paths() (`texts`, in that order).
create or replace temp macro sales_line(texts) as {
    line_id: texts[1],
    detail_type: texts[2],
    description: texts[3],
    amount: coalesce((texts[4])::decimal(18, 2), 0),
    item_id: coalesce(texts[5], texts[6]),
    item_name_on_line: coalesce(texts[7], texts[8]),
    quantity: coalesce((texts[9])::decimal(20, 7), (texts[10])::decimal(20, 7)),
    unit_price: (texts[11])::decimal(20, 7),
    class_id: coalesce(texts[12], texts[13]),
    account_id: coalesce(texts[14], texts[15]),
    service_date: (texts[16])::date,
    group_item_id: texts[6],
    has_group_detail: texts[17] is not null
};
