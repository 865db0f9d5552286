{#-
    Where every raw row went, per source table: staged, quarantined (with a reason), or superseded by
    a newer copy of the same record (re-delivered file, re-extracted bucket, restated row).
    Grain: one row per source table. raw_rows = staged_rows + quarantined_rows + superseded_rows
    (tested).
-#}
{%- set sources = ai_finops.staged_sources() -%}

with counts as (

    {% for _, source_name, table_name, base_model, stg_model in sources -%}
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as source_table,
            (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
            (select count(*) from {{ ref(stg_model) }}) as staged_rows,
            (
                select count(*) from {{ ref(base_model) }}
                where quarantine_reason is not null
            ) as quarantined_rows,
            (
                select count(*) from {{ ref(base_model) }}
                where quarantine_reason is null and not is_latest_copy
            ) as superseded_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        source_name || '.' || source_table as source_table_id,
        source_name,
        source_table,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(staged_rows as {{ dbt.type_bigint() }}) as staged_rows,
        cast(quarantined_rows as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast(superseded_rows as {{ dbt.type_bigint() }}) as superseded_rows
    from counts

)

select * from final
