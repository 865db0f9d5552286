{#- True when a date or timestamp falls on a Saturday or Sunday (UTC). -#}
{% macro is_weekend(expression) -%}
    {{ return(adapter.dispatch('is_weekend', 'ai_finops')(expression)) }}
{%- endmacro %}

{#- Snowflake dayofweekiso: Monday = 1 ... Sunday = 7, whatever WEEK_START is set to. -#}
{% macro default__is_weekend(expression) -%}
    dayofweekiso({{ expression }}) in (6, 7)
{%- endmacro %}

{% macro duckdb__is_weekend(expression) -%}
    isodow({{ expression }}) in (6, 7)
{%- endmacro %}
