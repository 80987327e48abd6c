-- grain: one row per live QuickBooks account. `classification` is QuickBooks' own, else the one its
-- AccountType belongs to (Intuit's Account reference: an Income account is Revenue, an Other Current
-- Liability a Liability, ...): a record without it is still placed, never taken as "not revenue".
with source as (
    select * from raw.accounts where not deleted
),

final as (
    select
        realm_id,
        id as account_id,
        payload->>'$.Name' as name,
        coalesce(payload->>'$.FullyQualifiedName', payload->>'$.Name') as fully_qualified_name,
        payload->>'$.AccountType' as account_type,
        payload->>'$.AccountSubType' as account_sub_type,
        coalesce(payload->>'$.Classification', account_classification(payload->>'$.AccountType'))
            as classification,
        payload->>'$.ParentRef.value' as parent_account_id,
        coalesce((payload->>'$.Active')::boolean, true) as is_active,
        last_updated
    from source
)

select * from final
