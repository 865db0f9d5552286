{#- True when a date or timestamp falls on a Saturday or Sunday (UTC), whatever the session's week start. -#}
{% macro is_weekend(expression) -%}
    {{ return(adapter.dispatch('is_weekend', 'ai_finops')(expression)) }}
{%- endmacro %}

{#- ISO day of week (Monday = 1 ... Sunday = 7): Postgres and most ANSI engines. -#}
{% macro default__is_weekend(expression) -%}
    extract(isodow from {{ expression }}) in (6, 7)
{%- endmacro %}

{% macro snowflake__is_weekend(expression) -%}
    dayofweekiso({{ expression }}) in (6, 7)
{%- endmacro %}

{% macro duckdb__is_weekend(expression) -%}
    isodow({{ expression }}) in (6, 7)
{%- endmacro %}
