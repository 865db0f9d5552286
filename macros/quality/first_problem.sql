{#- The first non-null problem of a list of problem expressions: the row's quarantine reason. -#}
{% macro first_problem(problems) -%}
    coalesce({{ problems | join(', ') }})
{%- endmacro %}
