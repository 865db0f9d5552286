{#-
    Daily AI cost by owner, workflow, agent, provider, model and price point: the fact every finance view reads.
    Token usage (usage_kind = 'tokens') and usage priced per unit (usage_kind = 'units': images, audio
    characters/seconds, tool sessions and calls; usage_endpoint, usage_quantity, quantity_unit) share the
    owners, the cost measures and the bill spread; unit rows never add to the token columns.
-#}
with attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

bill_factors as (

    select * from {{ ref('int_billed_cost_factors_monthly') }}

),

unit_bill_factors as (

    select * from {{ ref('int_billed_unit_cost_factors_monthly') }}

),

commitment_factors as (

    select * from {{ ref('int_usage_commitments_daily') }}

),

aggregated as (

    select
        usage_date,
        business_unit_id,
        business_unit_name,
        cost_center_id,
        cost_center_name,
        team_id,
        team_name,
        workflow_id,
        agent_id,
        provider,
        model_id,
        service_tier,
        context_tier,
        source_system,
        attribution_method,
        pricing_status,
        currency,
        usage_kind,
        usage_endpoint,
        quantity_unit,
        sum(request_count) as request_count,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_5m_tokens) as cache_write_5m_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        sum(reasoning_tokens) as reasoning_tokens,
        sum(input_audio_tokens) as input_audio_tokens,
        sum(cache_read_audio_tokens) as cache_read_audio_tokens,
        sum(output_audio_tokens) as output_audio_tokens,
        sum(input_image_tokens) as input_image_tokens,
        sum(cache_read_image_tokens) as cache_read_image_tokens,
        sum(output_image_tokens) as output_image_tokens,
        sum(modality_fallback_tokens) as modality_fallback_tokens,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        sum(usage_quantity) as usage_quantity
    from attributed
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20

),

-- the provider's bill spread over the month's rows (cost is linear, so after aggregation);
-- a provider-month with no billing source keeps the computed contracted cost as its estimate
billed as (

    select
        aggregated.*,
        commitment_factors.commitment_id,
        case
            when bill_factors.provider is null then aggregated.contracted_cost
            when aggregated.pricing_status = 'priced'
                then aggregated.contracted_cost * bill_factors.billed_per_contracted_dollar
            -- unpriced unit usage carries the bill for its endpoint's unpriced units, per unit
            when aggregated.usage_kind = 'units'
                then aggregated.usage_quantity * unit_bill_factors.billed_per_unpriced_unit
            else
                (
                    aggregated.uncached_input_tokens + aggregated.cache_read_tokens
                    + aggregated.cache_write_5m_tokens + aggregated.cache_write_1h_tokens + aggregated.output_tokens
                ) * bill_factors.billed_per_unpriced_token
        end as billed_cost,
        case
            when bill_factors.provider is null and aggregated.pricing_status = 'priced' then 'computed_estimate'
            when bill_factors.provider is null then 'unknown'
            else 'provider_bill'
        end as billed_cost_basis,
        -- commitments apply per day x provider x model x usage kind; every row of it takes the same share
        aggregated.contracted_cost * commitment_factors.commitment_covered_cost
        / nullif(commitment_factors.contracted_cost, 0) as commitment_covered_cost,
        aggregated.contracted_cost * commitment_factors.amortized_commitment_cost
        / nullif(commitment_factors.contracted_cost, 0) as amortized_commitment_cost,
        aggregated.contracted_cost * coalesce(commitment_factors.effective_per_contracted_dollar, 1.0)
            as effective_cost
    from aggregated
    left join bill_factors
        on
            cast({{ dbt.date_trunc('month', 'aggregated.usage_date') }} as date) = bill_factors.billing_month
            and aggregated.provider = bill_factors.provider
    left join unit_bill_factors
        on
            cast({{ dbt.date_trunc('month', 'aggregated.usage_date') }} as date) = unit_bill_factors.billing_month
            and aggregated.provider = unit_bill_factors.provider
            and aggregated.usage_endpoint = unit_bill_factors.usage_endpoint
            and aggregated.model_id = unit_bill_factors.model_id
    left join commitment_factors
        on aggregated.usage_date = commitment_factors.usage_date
            and aggregated.provider = commitment_factors.provider
            and aggregated.model_id = commitment_factors.model_id
            and aggregated.usage_kind = commitment_factors.usage_kind
            and aggregated.pricing_status = 'priced'

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(usage_date as " ~ dbt.type_string() ~ ")", "'|'", "team_id", "'|'", "workflow_id", "'|'",
            "agent_id", "'|'", "provider", "'|'", "model_id", "'|'", "service_tier", "'|'", "context_tier", "'|'",
            "source_system", "'|'", "attribution_method", "'|'", "pricing_status",
            "coalesce('|' || usage_endpoint, '')"
        ])) }} as ai_cost_daily_id,
        usage_date,
        business_unit_id,
        business_unit_name,
        cost_center_id,
        cost_center_name,
        team_id,
        team_name,
        workflow_id,
        agent_id,
        provider,
        model_id,
        service_tier,
        context_tier,
        source_system,
        attribution_method,
        pricing_status,
        cast(request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(
            uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens
            as {{ dbt.type_bigint() }}
        ) as input_tokens,
        cast(uncached_input_tokens as {{ dbt.type_bigint() }}) as uncached_input_tokens,
        cast(cache_read_tokens as {{ dbt.type_bigint() }}) as cache_read_tokens,
        cast(cache_write_5m_tokens as {{ dbt.type_bigint() }}) as cache_write_5m_tokens,
        cast(cache_write_1h_tokens as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
        cast(output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(reasoning_tokens as {{ dbt.type_bigint() }}) as reasoning_tokens,
        cast(
            uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens
            as {{ dbt.type_bigint() }}
        ) as total_tokens,
        cast(list_cost as {{ ai_finops.type_double() }}) as list_cost,
        cast(contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(effective_cost as {{ ai_finops.type_double() }}) as effective_cost,
        cast(billed_cost as {{ ai_finops.type_double() }}) as billed_cost,
        billed_cost_basis,
        currency,
        commitment_id,
        cast(
            coalesce(commitment_covered_cost, case when contracted_cost is not null then 0 end)
            as {{ ai_finops.type_double() }}
        ) as commitment_covered_cost,
        cast(
            coalesce(amortized_commitment_cost, case when contracted_cost is not null then 0 end)
            as {{ ai_finops.type_double() }}
        ) as amortized_commitment_cost,
        cast(input_audio_tokens as {{ dbt.type_bigint() }}) as input_audio_tokens,
        cast(cache_read_audio_tokens as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
        cast(output_audio_tokens as {{ dbt.type_bigint() }}) as output_audio_tokens,
        cast(input_image_tokens as {{ dbt.type_bigint() }}) as input_image_tokens,
        cast(cache_read_image_tokens as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
        cast(output_image_tokens as {{ dbt.type_bigint() }}) as output_image_tokens,
        cast(modality_fallback_tokens as {{ dbt.type_bigint() }}) as modality_fallback_tokens,
        usage_kind,
        usage_endpoint,
        cast(usage_quantity as {{ ai_finops.type_double() }}) as usage_quantity,
        quantity_unit
    from billed

)

select * from final
