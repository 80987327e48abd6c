-- Report revenue-lines: every revenue line, oldest first. Parameters: $realm (null for all).
select
    realm_id,
    document_type,
    document_id,
    doc_number,
    txn_date,
    line_index,
    child_index,
    customer_id,
    customer,
    client_id,
    client,
    item_id,
    item,
    item_category_path,
    income_account,
    class,
    quantity,
    unit_price,
    service_date,
    gross_amount,
    discount_amount,
    amount,
    currency,
    exchange_rate,
    foreign_gross_amount,
    category,
    subcategory,
    rule,
    rule_pattern
from marts.fct_revenue_lines
where $realm is null or realm_id = $realm
order by txn_date, realm_id, document_type, document_id, line_index, child_index
