{#-
    Gateway requests that reached a provider and were billed, with the canonical model and the
    context tier. The tier is decided per request (a long prompt re-prices the whole request),
    so it must be set here, before any aggregation. Incremental: the days from the newest built day
    minus var ai_finops__lookback_days on are rebuilt whole (delete+insert by usage_date).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

with requests as (

    select * from {{ ref('stg_litellm__spend_logs') }}
    where is_billable
    {% if is_incremental() -%}
        -- re-process whole days from the lookback window on: late and re-delivered rows land, re-runs are idempotent
        and usage_date >= (
            select {{ dbt.dateadd('day', -var('ai_finops__lookback_days'), 'max(usage_date)') }} from {{ this }}
        )
    {%- endif %}

),

aliases as (

    select * from {{ ai_finops.reference_table('model_aliases') }}

),

catalog as (

    select * from {{ ai_finops.reference_table('model_catalog') }}

),

mapped as (

    select
        requests.*,
        coalesce(aliases.model_id, requests.reported_model) as model_id
    from requests
    left join aliases
        on requests.provider = aliases.provider
            and requests.reported_model = aliases.reported_model

),

final as (

    select
        mapped.request_id,
        mapped.usage_date,
        mapped.request_started_at,
        mapped.provider,
        mapped.reported_model,
        mapped.model_id,
        'standard' as service_tier,
        case
            when mapped.prompt_tokens >= catalog.long_context_threshold_tokens then 'long'
            else 'standard'
        end as context_tier,
        mapped.gateway_key_hash,
        mapped.gateway_key_alias,
        mapped.gateway_team_id,
        mapped.tag_team_id,
        mapped.tag_workflow_id,
        mapped.tag_agent_id,
        mapped.end_user_id,
        mapped.session_id,
        mapped.prompt_tokens - mapped.cache_read_tokens - mapped.cache_write_tokens as uncached_input_tokens,
        mapped.cache_read_tokens,
        mapped.cache_write_tokens as cache_write_5m_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
        mapped.completion_tokens as output_tokens,
        mapped.reasoning_tokens,
        mapped.gateway_reported_spend
    from mapped
    left join catalog
        on mapped.provider = catalog.provider
            and mapped.model_id = catalog.model_id

)

select * from final
