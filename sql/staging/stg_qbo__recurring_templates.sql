-- grain: one row per live recurring template (QuickBooks' RecurringTransaction), whatever transaction it
-- makes (template_type: Invoice, SalesReceipt, Bill, ...). The raw record wraps that transaction under its
-- type, as QuickBooks sends it; its schedule is RecurringInfo.ScheduleInfo. Amounts are the template's, in
-- its currency; total_amount in the home currency (home_amount: x ExchangeRate, to the cent).
with records as (
    select
        realm_id,
        id,
        payload,
        list_filter(json_keys(payload), lambda key: key in (
            'Bill', 'CreditMemo', 'Deposit', 'Estimate', 'Invoice', 'JournalEntry', 'Purchase', 'PurchaseOrder',
            'RefundReceipt', 'SalesReceipt', 'Transfer', 'VendorCredit'
        ))[1] as template_type,
        last_updated
    from raw.recurring_transactions
    where not deleted
),

templates as (
    select
        realm_id,
        id,
        template_type,
        payload->('$.' || template_type) as template,
        last_updated
    from records
),

-- Each template parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same
-- function); a `->>` per field parsed the template again for each. The lines (a wildcard) are the other read.
parsed as (
    select
        *,
        json_extract_string(template, [
            '$.RecurringInfo.Name',                       -- 1
            '$.RecurringInfo.RecurType',                  -- 2
            '$.RecurringInfo.Active',                     -- 3
            '$.CustomerRef.value',                        -- 4
            '$.EntityRef.value',                          -- 5
            '$.CustomerRef.name',                         -- 6
            '$.EntityRef.name',                           -- 7
            '$.VendorRef.value',                          -- 8
            '$.RecurringInfo.ScheduleInfo.IntervalType',  -- 9
            '$.RecurringInfo.ScheduleInfo.NumInterval',   -- 10
            '$.RecurringInfo.ScheduleInfo.DayOfMonth',    -- 11
            '$.RecurringInfo.ScheduleInfo.DayOfWeek',     -- 12
            '$.RecurringInfo.ScheduleInfo.WeekOfMonth',   -- 13
            '$.RecurringInfo.ScheduleInfo.MonthOfYear',   -- 14
            '$.RecurringInfo.ScheduleInfo.DaysBefore',    -- 15
            '$.RecurringInfo.ScheduleInfo.RemindDays',    -- 16
            '$.RecurringInfo.ScheduleInfo.MaxOccurrences', -- 17
            '$.RecurringInfo.ScheduleInfo.StartDate',     -- 18
            '$.RecurringInfo.ScheduleInfo.EndDate',       -- 19
            '$.RecurringInfo.ScheduleInfo.NextDate',      -- 20
            '$.RecurringInfo.ScheduleInfo.PreviousDate',  -- 21
            '$.TotalAmt',                                 -- 22
            '$.CurrencyRef.value',                        -- 23
            '$.ExchangeRate',                             -- 24
            '$.ClassRef.value'                            -- 25
        ]) as f
    from templates
),

final as (
    select
        realm_id,
        id as template_id,
        template_type,
        f[1] as template_name,
        f[2] as recur_type,  -- Automated, Reminded or UnScheduled
        coalesce((f[3])::boolean, false) as is_active,
        coalesce(f[4], f[5]) as customer_id,
        coalesce(f[6], f[7]) as customer_name_on_template,
        f[8] as vendor_id,
        f[9] as interval_type,  -- Daily, Weekly, Monthly, Yearly
        (f[10])::integer as every_n,
        (f[11])::integer as day_of_month,
        f[12] as day_of_week,
        (f[13])::integer as week_of_month,
        f[14] as month_of_year,  -- a month's name, as DayOfWeek is a day's
        (f[15])::integer as days_before,
        (f[16])::integer as remind_days,
        (f[17])::integer as max_occurrences,
        (f[18])::date as start_date,
        (f[19])::date as end_date,
        (f[20])::date as next_date,
        (f[21])::date as previous_date,
        home_amount(coalesce((f[22])::decimal(18, 2), 0), exchange_rate(f[24])) as total_amount,
        coalesce((f[22])::decimal(18, 2), 0) as foreign_total_amount,
        f[23] as currency,
        exchange_rate(f[24]) as exchange_rate,
        f[25] as class_id,
        json_extract(template, '$.Line[*]') as lines,
        last_updated
    from parsed
)

select * from final
