{{ config(enabled=var('ai_finops__using_gcp')) }}
{%- set text = api.Column.translate_type('string') -%}
{%- set source_relation = source('gcp', 'gemini_usage_metadata') -%}

{#-
    usageMetadata modality breakdowns (ModalityTokenCount[] arrays, JSON text after loading; absent in
    older or text-only records -> 0). AUDIO and IMAGE become the audio/image subsets; TEXT, VIDEO and
    DOCUMENT stay in the text remainder of their parent (Gemini bills video and document tokens at the
    text rate; the price book has no video token rate). Any other modality value is quarantined.
-#}
{#- In a dbt unit test the source is a fixture CTE that cannot be introspected; the fixture has the
    landing table's columns, so the landing table answers which optional arrays exist. -#}
{%- if source_relation.identifier.startswith('__dbt__cte__') -%}
    {%- set landing_relation = api.Relation.create(
        database=var('ai_finops__raw_database') or target.database,
        schema=var('ai_finops__gcp_schema'),
        identifier=var('ai_finops__gcp_gemini_usage_metadata_identifier'),
    ) -%}
{%- else -%}
    {%- set landing_relation = source_relation -%}
{%- endif -%}
{%- set details = {
    'prompt': ai_finops.optional_column(landing_relation, 'usage_metadata__prompt_tokens_details', text),
    'cache': ai_finops.optional_column(landing_relation, 'usage_metadata__cache_tokens_details', text),
    'candidates': ai_finops.optional_column(landing_relation, 'usage_metadata__candidates_tokens_details', text),
} -%}
{%- set known_modalities = ['TEXT', 'IMAGE', 'AUDIO', 'VIDEO', 'DOCUMENT'] -%}
{%- set array_names = {
    'prompt': 'promptTokensDetails', 'cache': 'cacheTokensDetails', 'candidates': 'candidatesTokensDetails'
} -%}

with source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        response_id,
        {{ ai_finops.iso8601_to_timestamp(dbt.cast('create_time', text)) }} as response_created_at,
        model_version as reported_model,
        coalesce({{ ai_finops.safe_number('usage_metadata__prompt_token_count') }}, 0) as prompt_tokens,
        coalesce({{ ai_finops.safe_number('usage_metadata__cached_content_token_count') }}, 0) as cached_content_tokens,
        coalesce({{ ai_finops.safe_number('usage_metadata__candidates_token_count') }}, 0) as candidates_tokens,
        coalesce({{ ai_finops.safe_number('usage_metadata__thoughts_token_count') }}, 0) as thoughts_tokens,
        coalesce(
            {{ ai_finops.safe_number('usage_metadata__tool_use_prompt_token_count') }}, 0
        ) as tool_use_prompt_tokens,
        {%- for name, column in details.items() %}
            {{ column }} as {{ name }}_tokens_details,
        {%- endfor %}
        {{ ai_finops.first_problem([
            "case when response_id is null then 'missing responseId' end",
            ai_finops.number_problem('usage_metadata__prompt_token_count'),
            ai_finops.number_problem('usage_metadata__candidates_token_count'),
            "case when " ~ ai_finops.safe_number('usage_metadata__cached_content_token_count') ~ " > "
                ~ ai_finops.safe_number('usage_metadata__prompt_token_count')
                ~ " then 'cachedContentTokenCount above promptTokenCount' end",
        ]) }} as count_problem,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

measured as (

    {#- an unparsable array counts 0 here (and is quarantined below): parsing it would fail the query -#}
    select
        *,
        {%- for name in details %}
            {{ ai_finops.is_valid_json(name ~ '_tokens_details') }} as is_valid_{{ name }}_details,
        {%- endfor %}
        {%- for name in details %}
            {%- set guarded = 'case when ' ~ ai_finops.is_valid_json(name ~ '_tokens_details')
                ~ ' then ' ~ name ~ '_tokens_details end' %}
            {%- for modality in ['AUDIO', 'IMAGE'] %}
                {{ ai_finops.json_modality_tokens(guarded, [modality]) }} as {{ name }}_{{ modality | lower }}_tokens,
            {%- endfor %}
            {{ ai_finops.json_modality_tokens(guarded) }} as {{ name }}_details_tokens,
            {{ ai_finops.json_modality_tokens(guarded, known_modalities) }}
                as {{ name }}_known_modality_tokens{% if not loop.last %},{% endif %}
        {%- endfor %}
    from renamed

),

checked as (

    select
        *,
        {%- set problems = ["count_problem"] -%}
        {%- for name, parent in [
            ('prompt', 'prompt_tokens'), ('cache', 'cached_content_tokens'), ('candidates', 'candidates_tokens')
        ] -%}
            {%- do problems.append(
                "case when " ~ name ~ "_tokens_details is not null and not is_valid_" ~ name ~ "_details then 'unparsable "
                ~ array_names[name] ~ " JSON' end"
            ) -%}
            {%- do problems.append(
                "case when " ~ name ~ "_details_tokens <> " ~ name ~ "_known_modality_tokens then 'unknown modality in "
                ~ array_names[name] ~ "' end"
            ) -%}
            {%- do problems.append(
                "case when " ~ name ~ "_details_tokens > " ~ parent ~ " then '" ~ array_names[name] ~ " above its token count' end"
            ) -%}
        {%- endfor -%}
        {%- for modality in ['audio', 'image'] -%}
            {%- do problems.append(
                "case when cache_" ~ modality ~ "_tokens > prompt_" ~ modality ~ "_tokens then 'cached "
                ~ modality | upper ~ " tokens above prompt " ~ modality | upper ~ " tokens' end"
            ) -%}
        {%- endfor -%}
        {%- do problems.append(
            "case when prompt_audio_tokens + prompt_image_tokens - cache_audio_tokens - cache_image_tokens"
            ~ " > prompt_tokens - cached_content_tokens then 'uncached AUDIO and IMAGE tokens above uncached prompt tokens' end"
        ) %}
        {{ ai_finops.first_problem(problems) }} as quarantine_reason
    from measured

),

ranked as (

    select
        *,
        {{ ai_finops.is_latest_copy('response_id') }} as is_latest_copy
    from checked

)

select * from ranked
