{#- A number from any raw value (number or text), null when it is not one. Casting to text
    first keeps Snowflake's try_cast (text-only) and DuckDB's try_cast on the same footing. -#}
{% macro safe_number(expression, data_type=none) -%}
    {{ ai_finops.try_cast(dbt.cast(expression, api.Column.translate_type('string')), data_type or dbt.type_bigint()) }}
{%- endmacro %}
