{#-
    Several scalars out of one JSON text column, parsing it once: json_parse_fields(expression, paths)
    gives a parsed value (select it as a column), json_parsed_field(column, path) reads one of the
    paths from it as text (null when the key is missing). On DuckDB the text is parsed once into a
    struct of the paths (json_transform); elsewhere the column stays text and each field is read
    like json_extract_scalar. Parse only valid JSON (see is_valid_json).
-#}
{% macro json_parse_fields(expression, paths) -%}
    {{ return(adapter.dispatch('json_parse_fields', 'ai_finops')(expression, paths)) }}
{%- endmacro %}

{% macro default__json_parse_fields(expression, paths) -%}
    {{ expression }}
{%- endmacro %}

{% macro duckdb__json_parse_fields(expression, paths) -%}
    {%- set root = {} -%}
    {%- for path in paths -%}
        {%- set ns = namespace(node=root) -%}
        {%- set parts = path.split('.') -%}
        {%- for part in parts -%}
            {%- if loop.last -%}
                {%- do ns.node.update({part: 'VARCHAR'}) -%}
            {%- else -%}
                {%- if part not in ns.node -%}
                    {%- do ns.node.update({part: {}}) -%}
                {%- endif -%}
                {%- set ns.node = ns.node[part] -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    json_transform({{ expression }}, '{{ tojson(root) }}')
{%- endmacro %}

{% macro json_parsed_field(column, path) -%}
    {{ return(adapter.dispatch('json_parsed_field', 'ai_finops')(column, path)) }}
{%- endmacro %}

{% macro default__json_parsed_field(column, path) -%}
    {{ ai_finops.json_extract_scalar(column, path) }}
{%- endmacro %}

{% macro duckdb__json_parsed_field(column, path) -%}
    {{ column }}{% for part in path.split('.') %}['{{ part }}']{% endfor %}
{%- endmacro %}
