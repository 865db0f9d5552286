{#- Sum of one numeric field over a JSON array of objects held as text (e.g. GCP credits[].amount); 0 when empty. -#}
{% macro json_array_sum(expression, field) -%}
    {{ return(adapter.dispatch('json_array_sum', 'ai_finops')(expression, field)) }}
{%- endmacro %}

{#- REDUCE needs the initial value, the accumulator and the lambda's result in one type: float. -#}
{% macro default__json_array_sum(expression, field) -%}
    coalesce(
        reduce(
            to_array(try_parse_json({{ expression }})),
            0::float,
            (total float, item variant) -> total + coalesce(item:{{ field }}::float, 0::float)
        ),
        0
    )
{%- endmacro %}

{% macro duckdb__json_array_sum(expression, field) -%}
    coalesce(list_sum(cast(json_extract({{ expression }}, '$[*].{{ field }}') as double[])), 0)
{%- endmacro %}
