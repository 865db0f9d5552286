{#- True when the text parses as JSON (null input counts as valid: absence is not malformed). -#}
{% macro is_valid_json(expression) -%}
    {{ return(adapter.dispatch('is_valid_json', 'ai_finops')(expression)) }}
{%- endmacro %}

{% macro default__is_valid_json(expression) -%}
    ({{ expression }} is null or try_parse_json({{ expression }}) is not null)
{%- endmacro %}

{% macro duckdb__is_valid_json(expression) -%}
    ({{ expression }} is null or json_valid({{ expression }}))
{%- endmacro %}
