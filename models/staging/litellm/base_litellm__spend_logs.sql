{#-
    Every raw spend-log row, typed, with its quarantine reason and whether it is the copy staging
    keeps. The one staging model that is a table: incremental by request (delete+insert on
    request_id, strategy latest_copies), so a run reads only the raw rows loaded since the last run
    (_loaded_at) and ranks them with the earlier copies of their requests, taken (already typed) from
    this table on the days the new rows started on (spend_log_copies_bound: a re-delivered copy
    carries its request's start time; rows without one are always searched, and a new row without
    one lifts the bound); the delete is bounded the same way, and the rest of the table is untouched.
    is_latest_copy: true for a request's only copy and for the newest of several (rows without a
    request_id are quarantined and each counts as its own copy).
    The raw JSON `metadata` (~580 bytes a row) is not stored: the fields staging needs are extracted
    here (null JSON or missing keys give null / 0; unparsable JSON is quarantined and gives null / 0).
-#}
{{ config(
    enabled=var('ai_finops__using_litellm'),
    materialized='incremental',
    incremental_strategy='latest_copies',
    unique_key='request_id',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{#- the metadata JSON is parsed once, for these fields -#}
{%- set metadata_fields = [
    'user_api_key_alias',
    'usage_object.cache_read_input_tokens',
    'usage_object.prompt_tokens_details.cached_tokens',
    'usage_object.cache_creation_input_tokens',
    'usage_object.prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens',
    'usage_object.completion_tokens_details.reasoning_tokens',
    'usage_object.prompt_tokens_details.audio_tokens',
    'usage_object.prompt_tokens_details.image_tokens',
    'usage_object.completion_tokens_details.audio_tokens',
] -%}

{#- the rows a run reads: all of them, or on an incremental run only the raw rows loaded since the
    last run (_loaded_at, a range the engine prunes on). The earlier copies of their requests are
    already here, typed: they are taken from this table (narrow), re-ranked with the new ones and
    written back (delete+insert replaces every copy of a request); rows without a request_id are
    quarantined on their own and only new ones are added -#}
{%- set loaded_until = none -%}
{%- if is_incremental() -%}
    {%- set loaded_until = ai_finops.incremental_high_water_mark('_loaded_at', this, dbt.type_timestamp()) -%}
{%- endif -%}
{#- the earlier copies are looked for on the days the new rows started on (spend_log_copies_bound): a
    constant range the scan of this table prunes on -#}
{%- set copies_bound = '1 = 1' -%}
{%- if loaded_until is not none -%}
    {%- set copies_bound = ai_finops.spend_log_copies_bound(
        source('litellm', 'spend_logs'), ai_finops.to_utc_timestamp('start_time'), loaded_until
    ) -%}
{%- endif -%}
{%- set rows_to_read -%}
    {% if loaded_until is not none -%}
        where _loaded_at > {{ loaded_until }}
    {%- endif %}
{%- endset %}

{#- a 1-hour part larger than all cache writes cannot be split into 5m / 1h writes: quarantined -#}
{%- set one_hour_writes_above_writes -%}
    case when cast(coalesce(
        {{ ai_finops.json_parsed_field('meta_json', 'usage_object.prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens') }}, '0'
    ) as {{ dbt.type_bigint() }}) > cast(coalesce(
        {{ ai_finops.json_parsed_field('meta_json', 'usage_object.cache_creation_input_tokens') }}, '0'
    ) as {{ dbt.type_bigint() }}) then '1h cache writes above cache_creation_input_tokens' end
{%- endset %}

with source as (

    -- read once here (a CTE read by several CTEs may be materialized: the wide rows would spill)
    select * from {{ source('litellm', 'spend_logs') }}
    {{ rows_to_read }}

),

validated as (

    select
        *,
        {{ ai_finops.is_valid_json('metadata') }} as is_metadata_valid
    from source

),

parsable as (

    -- the JSON fields are read from parsable metadata only (unparsable rows are quarantined below)
    select
        *,
        case when is_metadata_valid then {{ ai_finops.json_parse_fields('metadata', metadata_fields) }} end as meta_json
    from validated

),

renamed as (

    select
        request_id,
        call_type,
        api_key as gateway_key_hash,
        {{ ai_finops.json_parsed_field('meta_json', 'user_api_key_alias') }} as gateway_key_alias,
        -- prompt_tokens includes cache reads and (Anthropic-style providers) cache writes. Reads are
        -- cache_read_input_tokens (Anthropic-style) or prompt_tokens_details.cached_tokens (OpenAI-style):
        -- the same tokens, never added together.
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.cache_read_input_tokens') }},
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.prompt_tokens_details.cached_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as cache_read_tokens,
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.cache_creation_input_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as cache_write_tokens,
        -- the part of the cache writes with a 1-hour TTL (Anthropic-style; LiteLLM's
        -- CacheCreationTokenDetails), billed at the 1h write rate; the rest are 5-minute writes
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens') }},  -- noqa: LT05
            '0'
        ) as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.completion_tokens_details.reasoning_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as reasoning_tokens,
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.prompt_tokens_details.audio_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as prompt_audio_tokens,
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.prompt_tokens_details.image_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as prompt_image_tokens,
        cast(coalesce(
            {{ ai_finops.json_parsed_field('meta_json', 'usage_object.completion_tokens_details.audio_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as completion_audio_tokens,
        team_id as gateway_team_id,
        {{ adapter.quote('user') }} as gateway_user_id,
        {% if var('ai_finops__pseudonymize_end_users') -%}
            case when end_user is not null then {{ dbt.hash(dbt.concat(["'" ~ var('ai_finops__pseudonymization_salt') ~ "'", 'end_user'])) }} end
        {%- else -%}
            end_user
        {%- endif %} as end_user_id,
        session_id,
        agent_id as gateway_agent_id,
        -- typed (Parquet, Postgres) or text (CSV, JSON) exports; text with an offset is converted to UTC
        {{ ai_finops.to_utc_timestamp('start_time') }} as request_started_at,
        {{ ai_finops.to_utc_timestamp('end_time') }} as request_ended_at,
        model as reported_model,
        model_group,
        custom_llm_provider,
        coalesce(status, 'success') as request_status,
        coalesce(cache_hit, 'False') = 'True' as is_gateway_cache_hit,
        coalesce({{ ai_finops.safe_number('prompt_tokens') }}, 0) as prompt_tokens,
        coalesce({{ ai_finops.safe_number('completion_tokens') }}, 0) as completion_tokens,
        {{ ai_finops.safe_number('spend', ai_finops.type_double()) }} as gateway_reported_spend,
        request_tags,
        -- the AWS region a Bedrock call went to, from its runtime endpoint (null for other upstreams)
        {{ ai_finops.regexp_extract('lower(api_base)', 'bedrock-runtime(-fips)?[.]([a-z0-9-]+)[.]amazonaws[.]com', 2) }}
            as bedrock_region,
        -- where a Vertex call ran: `global` for the global endpoint (`aiplatform.googleapis.com`), else the
        -- region of its regional endpoint (`<region>-aiplatform.googleapis.com`); null for other upstreams
        case
            when lower(api_base) like '%://aiplatform.googleapis.com%' then 'global'
            else {{ ai_finops.regexp_extract('lower(api_base)', '://([a-z0-9-]+)-aiplatform[.]googleapis[.]com', 1) }}
        end as vertex_location,
        {{ ai_finops.first_problem([
            "case when request_id is null then 'missing request_id' end",
            "case when start_time is null then 'missing startTime' end",
            "case when " ~ ai_finops.to_utc_timestamp('start_time') ~ " is null then 'unparsable startTime' end",
            ai_finops.number_problem('prompt_tokens'),
            ai_finops.number_problem('completion_tokens'),
            "case when not is_metadata_valid then 'unparsable metadata JSON' end",
            one_hour_writes_above_writes,
            "case when coalesce(status, 'success') not in ('success', 'failure') then 'unknown status' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from parsable

),

{% if loaded_until is none %}

    redelivered as (

        -- the same request can arrive in two exports (re-delivery); only those requests need ranking
        select request_id
        from {{ source('litellm', 'spend_logs') }}
        group by request_id
        having count(*) > 1

    ),

    ranked_copies as (

        -- ranked on their address only: the wide rows never go through a window (that spills at scale)
        select
            _loaded_from_file,
            _file_row_number,
            {{ ai_finops.is_latest_copy('request_id') }} as is_latest_copy
        from {{ source('litellm', 'spend_logs') }}
        where request_id in (select redelivered.request_id from redelivered)

    ),

    final as (

        -- a request with one copy keeps it; of several, the newest copy wins
        select
            renamed.*,
            coalesce(ranked_copies.is_latest_copy, true) as is_latest_copy
        from renamed
        left join ranked_copies
            on renamed._loaded_from_file = ranked_copies._loaded_from_file
                and renamed._file_row_number = ranked_copies._file_row_number

    )

{% else %}
{#- the columns this table holds (is_latest_copy is recomputed) -#}
{%- set kept_columns = [] -%}
{%- for column in adapter.get_columns_in_relation(this) if column.name | lower != 'is_latest_copy' -%}
    {%- do kept_columns.append(column.name) -%}
{%- endfor %}

    earlier_copies as (

        -- the copies of the new rows' requests loaded by earlier runs, already typed here
        select {{ kept_columns | join(', ') }}
        from {{ this }}
        where {{ copies_bound }}
            and request_id in (select renamed.request_id from renamed)

    ),

    copies as (

        select
            request_id,
            _loaded_at,
            _loaded_from_file,
            _file_row_number
        from renamed
        where request_id is not null
        union all
        select
            request_id,
            _loaded_at,
            _loaded_from_file,
            _file_row_number
        from earlier_copies

    ),

    redelivered as (

        -- requests with more than one copy, new or earlier: only those need ranking
        select request_id
        from copies
        group by request_id
        having count(*) > 1

    ),

    ranked_copies as (

        select
            _loaded_from_file,
            _file_row_number,
            {{ ai_finops.is_latest_copy('request_id') }} as is_latest_copy
        from copies
        where request_id in (select redelivered.request_id from redelivered)

    ),

    rows_to_write as (

        select {{ kept_columns | join(', ') }} from renamed
        union all
        select {{ kept_columns | join(', ') }} from earlier_copies

    ),

    final as (

        -- a request with one copy keeps it; of several, the newest copy wins
        select
            rows_to_write.*,
            coalesce(ranked_copies.is_latest_copy, true) as is_latest_copy
        from rows_to_write
        left join ranked_copies
            on rows_to_write._loaded_from_file = ranked_copies._loaded_from_file
                and rows_to_write._file_row_number = ranked_copies._file_row_number

    )

{% endif %}

select * from final
