{#-
    A source column that older exports may lack (schema drift): the column when the landing
    table has it, a typed null otherwise. Providers add usage fields over time (e.g. OpenAI's
    input_cache_write_tokens, 2026-07), and raw tables loaded before that do not have them.
-#}
{% macro optional_column(relation, column_name, data_type) -%}
    {%- if execute -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- else -%}
        {%- set columns = [] -%}
    {%- endif -%}
    {%- if column_name | lower in columns -%}
        cast({{ column_name }} as {{ data_type }})
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
