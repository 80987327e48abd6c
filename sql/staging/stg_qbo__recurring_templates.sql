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
        template->'$.RecurringInfo' as recurring,
        recurring->'$.ScheduleInfo' as schedule,
        last_updated
    from records
),

final as (
    select
        realm_id,
        id as template_id,
        template_type,
        recurring->>'$.Name' as template_name,
        recurring->>'$.RecurType' as recur_type,  -- Automated, Reminded or UnScheduled
        coalesce((recurring->>'$.Active')::boolean, false) as is_active,
        coalesce(template->>'$.CustomerRef.value', template->>'$.EntityRef.value') as customer_id,
        coalesce(template->>'$.CustomerRef.name', template->>'$.EntityRef.name') as customer_name_on_template,
        template->>'$.VendorRef.value' as vendor_id,
        schedule->>'$.IntervalType' as interval_type,  -- Daily, Weekly, Monthly, Yearly
        (schedule->>'$.NumInterval')::integer as every_n,
        (schedule->>'$.DayOfMonth')::integer as day_of_month,
        schedule->>'$.DayOfWeek' as day_of_week,
        (schedule->>'$.WeekOfMonth')::integer as week_of_month,
        schedule->>'$.MonthOfYear' as month_of_year,  -- a month's name, as DayOfWeek is a day's
        (schedule->>'$.DaysBefore')::integer as days_before,
        (schedule->>'$.RemindDays')::integer as remind_days,
        (schedule->>'$.MaxOccurrences')::integer as max_occurrences,
        (schedule->>'$.StartDate')::date as start_date,
        (schedule->>'$.EndDate')::date as end_date,
        (schedule->>'$.NextDate')::date as next_date,
        (schedule->>'$.PreviousDate')::date as previous_date,
        home_amount(coalesce((template->>'$.TotalAmt')::decimal(18, 2), 0), exchange_rate(template)) as total_amount,
        coalesce((template->>'$.TotalAmt')::decimal(18, 2), 0) as foreign_total_amount,
        template->>'$.CurrencyRef.value' as currency,
        exchange_rate(template) as exchange_rate,
        template->>'$.ClassRef.value' as class_id,
        json_extract(template, '$.Line[*]') as lines,
        last_updated
    from templates
)

select * from final
