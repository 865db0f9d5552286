{#-
    Sum of `tokenCount` over a Gemini `ModalityTokenCount[]` array held as JSON text
    (usageMetadata.promptTokensDetails, cacheTokensDetails, candidatesTokensDetails), for the entries
    whose `modality` is in `modalities` (all entries when none); 0 when the array is null or empty.
    A non-numeric tokenCount counts 0. Dispatched.
-#}
{% macro json_modality_tokens(expression, modalities=none) -%}
    {{ return(adapter.dispatch('json_modality_tokens', 'ai_finops')(expression, modalities)) }}
{%- endmacro %}

{#- REDUCE needs the initial value, the accumulator and the lambda's result in one type: float. Only
    object elements are read (typeof guard); modality compares as a variant. -#}
{% macro default__json_modality_tokens(expression, modalities) -%}
    {%- if modalities -%}
        {%- set matches = "item:modality in (to_variant('" ~ modalities | join("'), to_variant('") ~ "'))" -%}
    {%- else -%}
        {%- set matches = 'true' -%}
    {%- endif -%}
    cast(coalesce(
        reduce(
            to_array(try_parse_json({{ expression }})),
            0::float,
            (total float, item variant) -> total + case
                when typeof(item) = 'OBJECT' and {{ matches }}
                    then coalesce(try_to_double(to_varchar(item:tokenCount)), 0::float)
                else 0::float
            end
        ),
        0
    ) as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- DuckDB 2 takes only the `lambda x:` syntax. -#}
{% macro duckdb__json_modality_tokens(expression, modalities) -%}
    {%- if modalities -%}
        {%- set matches = "json_extract_string(x, '$.modality') in ('" ~ modalities | join("', '") ~ "')" -%}
    {%- else -%}
        {%- set matches = 'true' -%}
    {%- endif -%}
    coalesce(list_sum(list_transform(
        list_filter(cast(json_extract({{ expression }}, '$[*]') as json[]), lambda x: {{ matches }}),
        lambda x: coalesce(try_cast(json_extract_string(x, '$.tokenCount') as bigint), 0)
    )), 0)
{%- endmacro %}
