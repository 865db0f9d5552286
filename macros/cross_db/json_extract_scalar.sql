{#- A scalar from a JSON text column, as text; path is dotted (`a.b.c`). Missing keys give null. -#}
{% macro json_extract_scalar(expression, path) -%}
    {{ return(adapter.dispatch('json_extract_scalar', 'ai_finops')(expression, path)) }}
{%- endmacro %}

{% macro default__json_extract_scalar(expression, path) -%}
    json_extract_path_text({{ expression }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_extract_scalar(expression, path) -%}
    json_extract_string({{ expression }}, '$.{{ path }}')
{%- endmacro %}
