{#- Continuous percentile (linear interpolation) of an expression, as an aggregate. Dispatched. -#}
{% macro percentile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'ai_finops')(expression, fraction)) }}
{%- endmacro %}

{#- Snowflake (and ANSI): ordered-set aggregate. -#}
{% macro default__percentile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__percentile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}
