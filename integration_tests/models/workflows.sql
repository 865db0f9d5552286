{#- A host-project model named like the package's workflows seed; workflow_id is null on purpose. -#}
select
    cast(null as varchar) as workflow_id,
    'host-only' as workflow_owner
