-- What a sales line names, whichever kind it is (an item line, a bundle (group) line, a discount line): its
-- item, the item's name as the line has it, quantity, unit price, class and account (an item line's income
-- account, a discount's account). One home for sales documents' lines and recurring templates' lines.
create or replace temp macro line_item_id(line) as
    coalesce(line->>'$.SalesItemLineDetail.ItemRef.value', line->>'$.GroupLineDetail.GroupItemRef.value');
create or replace temp macro line_item_name(line) as
    coalesce(line->>'$.SalesItemLineDetail.ItemRef.name', line->>'$.GroupLineDetail.GroupItemRef.name');
create or replace temp macro line_quantity(line) as
    coalesce((line->>'$.SalesItemLineDetail.Qty')::decimal(20, 7), (line->>'$.GroupLineDetail.Quantity')::decimal(20, 7));
create or replace temp macro line_unit_price(line) as (line->>'$.SalesItemLineDetail.UnitPrice')::decimal(20, 7);
create or replace temp macro line_class_id(line) as
    coalesce(line->>'$.SalesItemLineDetail.ClassRef.value', line->>'$.DiscountLineDetail.ClassRef.value');
create or replace temp macro line_account_id(line) as
    coalesce(line->>'$.SalesItemLineDetail.ItemAccountRef.value', line->>'$.DiscountLineDetail.DiscountAccountRef.value');
