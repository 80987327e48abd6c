-- grain: one row per revenue line and service month it counts in, with its part of the line: where a
-- line's money belongs in time, the one definition MRR (fct_mrr_lines) and the prepayment liability
-- (fct_prepaid_earnings, fct_refunded_months) both read. A line counts whole in its service month (its
-- date's month when it has none). A sales line (invoice, sales receipt) of an item named in the rules
-- file's [agreement_months] spreads evenly over that many months from there, in whole cents, the odd
-- cents in the first. A refund receipt's or credit memo's line of such an item (QuickBooks does not
-- link it to the invoice) takes back the last months of that item billed to the client on documents
-- dated by its own date, latest first, at their monthly amounts, after what earlier refunds and memos
-- of the item took back since the last such bill by its date; its own service date does not matter.
-- Money beyond those months (or with none billed) counts whole in its own service month (else date).
-- `earn_date`: the day the part is earned (prepayments): its month's first day, or in a line's own month
-- when it has no service date, the line's date. `first_month`, `months`: the line's span (a part taken
-- back: that month, 1).
with lines as (
    select * from marts.fct_revenue_lines
),

spans as (
    select name_key(item) as item_key, months from staging.stg_settings__agreement_months
),

-- Only a line's key and what its months are found by go through the steps below; its other columns are joined back
-- by its key (fct_revenue_lines' grain) in `final`. Why: the ~35 columns carried through every step were most of
-- DuckDB's planning of the model, paid again by each build that makes it for a day's few documents (docs/BENCHMARKS.md).
measured as (
    select
        lines.realm_id, lines.document_type, lines.document_id, lines.line_index, lines.child_index,
        lines.client_id, lines.txn_date,
        spans.item_key,
        coalesce(spans.months, 1) as span_months,
        lines.document_type in ('RefundReceipt', 'CreditMemo') as is_refund,
        date_trunc('month', coalesce(lines.service_date, lines.txn_date))::date as own_month,
        coalesce(date_trunc('month', lines.service_date)::date, lines.txn_date) as own_earn_date,
        (lines.amount * 100)::hugeint as cents
    from lines
    left join spans on spans.item_key = name_key(lines.item)
),

billed as (  -- every line but agreement-months refunds and memos: its span from its own month
    select
        measured.*,
        (own_month + to_months(step))::date as month,
        case when step = 0 then own_earn_date else (own_month + to_months(step))::date end as earn_date,
        spread_cents(cents, span_months, step) as part_cents
    from measured, range(span_months) as steps(step)
    where not (is_refund and item_key is not null and cents < 0)
),

takebacks as (  -- agreement-months refund and memo lines, in order per client and item
    select
        measured.*,
        -cents as take_cents,
        row_number() over (
            partition by realm_id, client_id, item_key
            order by txn_date, document_type, document_id, line_index, child_index
        ) as seq,
        (select max(b.txn_date) from billed as b
         where b.realm_id = measured.realm_id and b.client_id = measured.client_id and b.item_key = measured.item_key
           and not b.is_refund and b.txn_date <= measured.txn_date) as last_billed
    from measured
    where is_refund and item_key is not null and cents < 0
),

ordered as (  -- what earlier refunds and memos took back since the last bill by this one's date
    select
        takebacks.* exclude (seq),
        coalesce((
            select sum(earlier.take_cents) from takebacks as earlier
            where earlier.realm_id = takebacks.realm_id and earlier.client_id = takebacks.client_id
              and earlier.item_key = takebacks.item_key and earlier.seq < takebacks.seq
              and earlier.txn_date >= takebacks.last_billed
        ), 0) as taken_before
    from takebacks
),

slots as (  -- per take-back line, the item's months billed to the client by its date, latest first
    select
        ordered.realm_id, ordered.document_type, ordered.document_id, ordered.line_index, ordered.child_index,
        billed.month,
        sum(billed.part_cents) as slot_cents
    from ordered
    join billed
        on billed.realm_id = ordered.realm_id and billed.client_id = ordered.client_id
        and billed.item_key = ordered.item_key and not billed.is_refund and billed.txn_date <= ordered.txn_date
    group by all
    having sum(billed.part_cents) > 0
),

taken as (
    select
        ordered.*,
        slots.month,
        coalesce(sum(slots.slot_cents) over (
            partition by ordered.realm_id, ordered.document_type, ordered.document_id, ordered.line_index,
                ordered.child_index
            order by slots.month desc rows between unbounded preceding and 1 preceding
        ), 0) as later_cents,
        slots.slot_cents
    from ordered
    join slots using (realm_id, document_type, document_id, line_index, child_index)
),

parts_taken as (
    select
        * exclude (later_cents, slot_cents),
        greatest(0, least(taken_before + take_cents - later_cents, slot_cents))
            - greatest(0, least(taken_before - later_cents, slot_cents)) as taken_cents
    from taken
),

left_over as (  -- what no billed month takes: whole in the line's own month
    select ordered.*, ordered.take_cents - coalesce(taken.cents, 0) as rest_cents
    from ordered
    left join (
        select realm_id, document_type, document_id, line_index, child_index, sum(taken_cents) as cents
        from parts_taken
        group by all
    ) as taken using (realm_id, document_type, document_id, line_index, child_index)
),

parts as (
    select * exclude (part_cents), own_month as first_month, span_months as months, part_cents
    from billed
    union all by name
    select * exclude (take_cents, last_billed, taken_before, taken_cents), month as first_month, 1 as months,
        month as earn_date, -taken_cents as part_cents
    from parts_taken
    where taken_cents <> 0
    union all by name
    select * exclude (take_cents, last_billed, taken_before, rest_cents), own_month as first_month, 1 as months,
        own_month as month, own_earn_date as earn_date, -rest_cents as part_cents
    from left_over
    where rest_cents <> 0
),

final as (
    select
        lines.* exclude (month, amount),  -- the line's own (transaction) month; `month` here is the service month
        parts.month, parts.earn_date, parts.first_month, parts.months,
        (parts.part_cents::decimal(38, 0) * 0.01)::decimal(18, 2) as amount
    from parts
    join lines using (realm_id, document_type, document_id, line_index, child_index)
)

select * from final
