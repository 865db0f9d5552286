{#- 64-bit floating point for money and rates. dbt.type_float() is a 4-byte REAL on DuckDB. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'ai_finops')()) }}
{%- endmacro %}

{#- Snowflake FLOAT is already double precision. -#}
{% macro default__type_double() -%}
    float
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}
