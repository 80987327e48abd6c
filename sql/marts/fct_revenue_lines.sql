-- grain: one row per revenue line: a line of a live, unvoided sales document whose account is an Income
-- account (int_sales_lines__posted has the columns and the rule), and a journal-entry or deposit line
-- posting to an Income account (int_account_postings__categorised: document types JournalEntry and
-- Deposit, no item), so that revenue is the ProfitAndLoss's income. Amounts signed (credit memos and
-- refund receipts negative; an entry's debit to income negative), net of the line's share of
-- discounts, tax excluded, home currency
with sales_lines as (
    select * from intermediate.int_sales_lines__posted where posting = 'revenue'
),

account_postings as (
    select * from intermediate.int_account_postings__categorised
),

final as (
    select * exclude (income_account_type, posting) from sales_lines
    union all by name
    select * exclude (income_account_type, posting) from account_postings
)

select * from final
