-- grain: one row per live QuickBooks class
with source as (
    select * from raw.classes where not deleted
),

final as (
    select
        realm_id,
        id as class_id,
        payload->>'$.Name' as name,
        coalesce(payload->>'$.FullyQualifiedName', payload->>'$.Name') as fully_qualified_name,
        payload->>'$.ParentRef.value' as parent_class_id,
        coalesce((payload->>'$.Active')::boolean, true) as is_active
    from source
)

select * from final
