{#- Median of an expression, as an aggregate or (with over ...) a window function. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'ai_finops')(expression)) }}
{%- endmacro %}

{#- ANSI ordered-set aggregate (Postgres, Redshift, BigQuery-like engines). -#}
{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{#- Snowflake and DuckDB both have median(), usable as a window function too. -#}
{% macro snowflake__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}
