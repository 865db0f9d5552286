{#- The host project's own schema naming, which the package's models must follow: `analytics_<custom>`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        analytics
    {%- else -%}
        analytics_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
