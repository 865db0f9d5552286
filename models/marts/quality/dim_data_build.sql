{#-
    When the marts were built: one row for the dbt invocation that last built this model (every full
    `dbt build` / `ai-finops build` rebuilds it). The dashboard shows built_at as the data's build time.
-#}
select
    '{{ invocation_id }}' as build_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as built_at,
    '{{ dbt_version }}' as dbt_version,
    '{{ target.name }}' as target_name
