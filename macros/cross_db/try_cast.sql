{#- Cast that yields null instead of failing. dbt.safe_cast is a plain cast on dbt-duckdb. -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'ai_finops')(expression, data_type)) }}
{%- endmacro %}

{#- Snowflake's try_cast accepts text input only; callers pass text (see safe_number). -#}
{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
