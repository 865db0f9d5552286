{#-
    Raw rows staging refused, with the reason and the row's address (file and row number). Grain:
    one row per refused raw row. Nothing is dropped silently: every raw row is staged, quarantined
    here, or superseded by a newer copy (see fct_source_row_accounting).
-#}
{%- set sources = ai_finops.staged_sources() -%}

with unioned as (

    {% for _, source_name, table_name, base_model, _ in sources -%}
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as source_table,
            _loaded_from_file,
            _file_row_number,
            _loaded_at,
            quarantine_reason
        from {{ ref(base_model) }}
        where quarantine_reason is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "source_name", "'.'", "source_table", "':'", "_loaded_from_file", "':'",
            "cast(_file_row_number as " ~ dbt.type_string() ~ ")"
        ])) }} as quarantined_row_id,
        source_name,
        source_table,
        _loaded_from_file as loaded_from_file,
        _file_row_number as file_row_number,
        _loaded_at as loaded_at,
        quarantine_reason
    from unioned

)

select * from final
