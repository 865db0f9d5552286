{#-
    The semantic layer's time spine: every calendar day MetricFlow may join to or fill.
    The day count is computed here, not by dbt.date_spine (which queries the warehouse for it),
    so the model compiles without a connection.
-#}
{%- set first_day = modules.datetime.date.fromisoformat(var('ai_finops__calendar_start')) -%}
{%- set end_day = modules.datetime.date.fromisoformat(var('ai_finops__calendar_end')) -%}

with numbers as (

    {{ dbt.generate_series((end_day - first_day).days) }}

),

final as (

    select
        cast({{ dbt.dateadd('day', 'generated_number - 1', "cast('" ~ first_day ~ "' as date)") }} as date) as date_day
    from numbers

)

select * from final
