{#-
    Nothing lost, nothing doubled between sources and the common grain. Per provider and day:
    - a provider whose usage report we load: unioned tokens = the provider's reported tokens
      (gateway rows + reconciliation difference replace its upstream-account rows exactly);
    - a provider seen only through the gateway: unioned tokens = billable gateway tokens.
    The audio/image subsets (all six, summed) are held to the same rule (gateway: prompt audio + image +
    completion audio, the three the usage object carries).
-#}
with unioned as (

    select
        provider,
        usage_date,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(
            input_audio_tokens + cache_read_audio_tokens + output_audio_tokens
            + input_image_tokens + cache_read_image_tokens + output_image_tokens
        ) as modality_tokens,
        sum(request_count) as request_count
    from {{ ref('int_usage_unioned') }}
    -- unit rows (no tokens) are held to int_usage_units_daily by assert_unit_usage_reaches_the_marts
    where usage_kind = 'tokens'
    group by 1, 2

),

provider_reported as (

    select
        provider,
        usage_date,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(
            input_audio_tokens + cache_read_audio_tokens + output_audio_tokens
            + input_image_tokens + cache_read_image_tokens + output_image_tokens
        ) as modality_tokens,
        sum(request_count) as request_count
    from {{ ref('int_usage_provider_daily') }}
    group by 1, 2

),

covered_providers as (

    select distinct provider from provider_reported

),

gateway_only as (

    select
        spend_logs.provider,
        spend_logs.usage_date,
        sum(spend_logs.prompt_tokens) as input_tokens,
        sum(spend_logs.completion_tokens) as output_tokens,
        sum(
            spend_logs.prompt_audio_tokens + spend_logs.prompt_image_tokens + spend_logs.completion_audio_tokens
        ) as modality_tokens,
        count(*) as request_count
    from {{ ref('stg_litellm__spend_logs') }} as spend_logs
    left join covered_providers
        on spend_logs.provider = covered_providers.provider
    where
        spend_logs.is_billable
        and covered_providers.provider is null
    group by 1, 2

),

expected as (

    select * from provider_reported
    union all
    select * from gateway_only

)

select
    expected.input_tokens as expected_input_tokens,
    unioned.input_tokens as unioned_input_tokens,
    expected.output_tokens as expected_output_tokens,
    unioned.output_tokens as unioned_output_tokens,
    expected.modality_tokens as expected_modality_tokens,
    unioned.modality_tokens as unioned_modality_tokens,
    coalesce(expected.provider, unioned.provider) as provider,
    coalesce(expected.usage_date, unioned.usage_date) as usage_date
from expected
full outer join unioned
    on expected.provider = unioned.provider
        and expected.usage_date = unioned.usage_date
where expected.provider is null
    or unioned.provider is null
    or expected.input_tokens <> unioned.input_tokens
    or expected.output_tokens <> unioned.output_tokens
    or expected.modality_tokens <> unioned.modality_tokens
    -- request counts are compared where the provider's report counts requests
    or (expected.request_count is not null and expected.request_count <> unioned.request_count)
