{#- Why a raw numeric field is unusable ('non-numeric <col>' / 'negative <col>'), or null when it is fine. -#}
{% macro number_problem(column, data_type=none) -%}
    case
        when {{ column }} is not null and {{ ai_finops.safe_number(column, data_type) }} is null
            then 'non-numeric {{ column }}'
        when {{ ai_finops.safe_number(column, data_type) }} < 0 then 'negative {{ column }}'
    end
{%- endmacro %}
