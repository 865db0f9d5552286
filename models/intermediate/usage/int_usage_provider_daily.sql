{#-
    Provider-reported usage (the system of record for what each provider billed) in the common grain:
    day x provider x source x reported model x price point x container (project, workspace, account,
    resource) x key (x region for the CUR, Azure and GCP, x deployment type for Azure: regional and
    data-zone price points depend on them). Token classes that sources report as separate lines (CUR usage types, Azure
    meters, GCP SKUs) are pivoted into the token columns here. request_count is null where the source
    does not count requests. Rows on a gateway's upstream account are flagged (see reconciliation).
    Request-level duplicates of the same calls (Bedrock invocation logs, OTel spans) are not counted.
-#}
{%- set branches = [] -%}

with aliases as (

    select * from {{ ai_finops.reference_table('model_aliases') }}

),

upstream as (

    select * from {{ ai_finops.reference_table('gateway_upstream_accounts') }}

),

{% if var('ai_finops__using_openai') -%}
    {%- do branches.append('openai_embeddings_normalised') %}
    openai_embeddings_normalised as (

        select
            usage_date,
            'openai' as provider,
            'openai_usage_api' as source_system,
            reported_model,
            'standard' as service_tier,
            'standard' as context_tier,
            'project' as container_type,
            project_id as container_id,
            api_key_id as provider_key_id,
            request_count,
            input_tokens as uncached_input_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_5m_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_tokens,
            cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
            cast(null as {{ ai_finops.type_double() }}) as provider_reported_cost,
            {{ dbt.concat(["'embeddings|'", 'usage_bucket_id']) }} as source_row_key,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as {{ dbt.type_string() }}) as deployment_type
        from {{ ref('stg_openai__usage_embeddings') }}

    ),
    {%- do branches.append('openai_normalised') %}


    openai_normalised as (

        select
            usage_date,
            'openai' as provider,
            'openai_usage_api' as source_system,
            reported_model,
            case
                when is_batch then 'batch'
                when service_tier in ('default', 'auto') then 'standard'
                when service_tier = 'fast' then 'priority'
                else service_tier
            end as service_tier,
            'standard' as context_tier,
            'project' as container_type,
            project_id as container_id,
            api_key_id as provider_key_id,
            request_count,
            -- input_tokens includes cached and cache-write tokens: subtract them once, here
            input_tokens - input_cached_tokens - input_cache_write_tokens as uncached_input_tokens,
            input_cached_tokens as cache_read_tokens,
            input_cache_write_tokens as cache_write_5m_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
            output_tokens,
            cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
            -- audio/image subsets: input_audio/input_image are uncached (inside uncached_input_tokens),
            -- the cached ones inside cache_read_tokens, the output ones inside output_tokens
            input_audio_tokens,
            input_cached_audio_tokens as cache_read_audio_tokens,
            output_audio_tokens,
            input_image_tokens,
            input_cached_image_tokens as cache_read_image_tokens,
            output_image_tokens,
            cast(null as {{ ai_finops.type_double() }}) as provider_reported_cost,
            {{ dbt.concat(["'completions|'", 'usage_bucket_id']) }} as source_row_key,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as {{ dbt.type_string() }}) as deployment_type
        from {{ ref('stg_openai__usage_completions') }}

    ),
{%- endif %}

{% if var('ai_finops__using_anthropic') -%}
    {%- do branches.append('anthropic_normalised') %}
    anthropic_normalised as (

        select
            usage_date,
            'anthropic' as provider,
            'anthropic_usage_report' as source_system,
            reported_model,
            case
                when service_tier in ('priority_on_demand') then 'priority' when
                    service_tier = 'flex_discount'
                    then 'flex'
                else service_tier
            end
                as service_tier,
            case when context_window = '200k-1M' then 'long' else 'standard' end as context_tier,
            'workspace' as container_type,
            workspace_id as container_id,
            api_key_id as provider_key_id,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            -- Anthropic reports cache reads and writes apart from uncached input: nothing to subtract
            uncached_input_tokens,
            cache_read_tokens,
            cache_write_5m_tokens,
            cache_write_1h_tokens,
            output_tokens,
            cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
            cast(null as {{ ai_finops.type_double() }}) as provider_reported_cost,
            usage_bucket_id as source_row_key,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as {{ dbt.type_string() }}) as deployment_type
        from {{ ref('stg_anthropic__usage_report_messages') }}

    ),
{%- endif %}

{% if var('ai_finops__using_aws_bedrock') -%}
    {%- do branches.append('bedrock_normalised') %}
    bedrock_normalised as (

        select
            usage_date,
            'aws_bedrock' as provider,
            'aws_cur' as source_system,
            reported_model,
            service_tier,
            'standard' as context_tier,
            'aws_account' as container_type,
            usage_account_id as container_id,
            iam_role_arn as provider_key_id,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            sum(case when token_class = 'input' then token_count else 0 end) as uncached_input_tokens,
            sum(case when token_class = 'cache_read' then token_count else 0 end) as cache_read_tokens,
            sum(case when token_class = 'cache_write' then token_count else 0 end) as cache_write_5m_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
            sum(case when token_class = 'output' then token_count else 0 end) as output_tokens,
            cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
            sum(unblended_cost) as provider_reported_cost,
            cast(null as {{ dbt.type_string() }}) as source_row_key,
            -- the CUR line's region (product_region_code): regional price points apply to it
            region,
            cast(null as {{ dbt.type_string() }}) as deployment_type
        from {{ ref('stg_aws_bedrock__cur') }}
        where token_class is not null
            and line_item_type in ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage')
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 25

    ),
{%- endif %}

{% if var('ai_finops__using_azure') -%}
    {%- do branches.append('azure_normalised') %}
    azure_normalised as (

        select
            usage_date,
            'azure_openai' as provider,
            'azure_cost_export' as source_system,
            reported_model,
            service_tier,
            'standard' as context_tier,
            'azure_resource' as container_type,
            resource_name as container_id,
            cast(null as {{ dbt.type_string() }}) as provider_key_id,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            sum(case when token_class = 'input' then token_count else 0 end) as uncached_input_tokens,
            sum(case when token_class = 'cache_read' then token_count else 0 end) as cache_read_tokens,
            sum(case when token_class = 'cache_write' then token_count else 0 end) as cache_write_5m_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
            sum(case when token_class = 'output' then token_count else 0 end) as output_tokens,
            cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_audio_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as input_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
            sum(billed_cost) as provider_reported_cost,
            cast(null as {{ dbt.type_string() }}) as source_row_key,
            -- the resource's region and the meter's deployment type: Data Zone deployments have their own price
            region,
            deployment_type
        from {{ ref('stg_azure__cost_details') }}
        where is_ai_service
            and token_class is not null
            and charge_type = 'Usage'
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 25, 26

    ),
{%- endif %}

{% if var('ai_finops__using_gcp') -%}
    {%- do branches.append('gcp_normalised') %}
    gcp_normalised as (

        select
            usage_date,
            'google_vertex' as provider,
            'gcp_billing_export' as source_system,
            reported_model,
            service_tier,
            context_tier,
            'gcp_project' as container_type,
            project_id as container_id,
            cast(null as {{ dbt.type_string() }}) as provider_key_id,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            sum(case when token_class = 'input' then token_count else 0 end) as uncached_input_tokens,
            sum(case when token_class = 'cache_read' then token_count else 0 end) as cache_read_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_5m_tokens,
            cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
            -- thinking tokens are billed as output: they are output here and also counted as reasoning
            sum(case when token_class in ('output', 'reasoning_output') then token_count else 0 end) as output_tokens,
            sum(case when token_class = 'reasoning_output' then token_count else 0 end) as reasoning_tokens,
            -- Audio / Image SKUs: subsets of their token class (Video SKUs stay in the text remainder)
            {%- for modality in ['audio', 'image'] %}
                sum(
                    case when token_class = 'input' and token_modality = '{{ modality }}' then token_count else 0 end
                ) as input_{{ modality }}_tokens,
                sum(
                    case
                        when token_class = 'cache_read' and token_modality = '{{ modality }}' then token_count
                        else 0
                    end
                ) as cache_read_{{ modality }}_tokens,
                sum(
                    case
                        when token_class in ('output', 'reasoning_output') and token_modality = '{{ modality }}'
                            then token_count
                        else 0
                    end
                ) as output_{{ modality }}_tokens,
            {%- endfor %}
            sum(billed_cost) as provider_reported_cost,
            cast(null as {{ dbt.type_string() }}) as source_row_key,
            -- location.region (`us-central1`, `global`): shown in FOCUS; no regional Vertex prices exist
            region,
            cast(null as {{ dbt.type_string() }}) as deployment_type
        from {{ ref('stg_gcp__billing_export') }}
        where token_count is not null
            and service_description in ('Vertex AI', 'Gemini API')
            and cost_type = 'regular'
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 25

    ),
{%- endif %}

unioned as (

    {% for branch in branches -%}
        select * from {{ branch }}
        {% if not loop.last %}union all{% endif %}
    {% endfor -%}
    {%- if branches | length == 0 -%}
        -- every provider source is switched off: an empty, typed relation keeps the build working
        select
            cast(null as date) as usage_date,
            cast(null as {{ dbt.type_string() }}) as provider,
            cast(null as {{ dbt.type_string() }}) as source_system,
            cast(null as {{ dbt.type_string() }}) as reported_model,
            cast(null as {{ dbt.type_string() }}) as service_tier,
            cast(null as {{ dbt.type_string() }}) as context_tier,
            cast(null as {{ dbt.type_string() }}) as container_type,
            cast(null as {{ dbt.type_string() }}) as container_id,
            cast(null as {{ dbt.type_string() }}) as provider_key_id,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            cast(null as {{ dbt.type_bigint() }}) as uncached_input_tokens,
            cast(null as {{ dbt.type_bigint() }}) as cache_read_tokens,
            cast(null as {{ dbt.type_bigint() }}) as cache_write_5m_tokens,
            cast(null as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
            cast(null as {{ dbt.type_bigint() }}) as output_tokens,
            cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
            cast(null as {{ dbt.type_bigint() }}) as input_audio_tokens,
            cast(null as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
            cast(null as {{ dbt.type_bigint() }}) as output_audio_tokens,
            cast(null as {{ dbt.type_bigint() }}) as input_image_tokens,
            cast(null as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
            cast(null as {{ dbt.type_bigint() }}) as output_image_tokens,
            cast(null as {{ ai_finops.type_double() }}) as provider_reported_cost,
            cast(null as {{ dbt.type_string() }}) as source_row_key,
            cast(null as {{ dbt.type_string() }}) as region,
            cast(null as {{ dbt.type_string() }}) as deployment_type
        where 1 = 0
    {%- endif %}

),

final as (

    select
        unioned.*,
        -- the grain key: the staged row's key, or for sources aggregated above their group-by columns
        {{ dbt.hash(dbt.concat([
            'unioned.source_system', "'|'",
            "coalesce(unioned.source_row_key, " ~ dbt.concat([
                "cast(unioned.usage_date as " ~ dbt.type_string() ~ ")", "'|'",
                "coalesce(unioned.reported_model, '')", "'|'", "unioned.service_tier", "'|'",
                "unioned.context_tier", "'|'", "coalesce(unioned.container_id, '')", "'|'",
                "coalesce(unioned.provider_key_id, '')"
            ]) ~ ")",
            "coalesce('|' || unioned.region, '')",
            "coalesce('|' || unioned.deployment_type, '')"
        ])) }} as provider_usage_row_id,
        coalesce(aliases.model_id, unioned.reported_model) as model_id,
        upstream.account_id is not null as is_gateway_upstream
    from unioned
    left join aliases
        on
            unioned.provider = aliases.provider
            and unioned.reported_model = aliases.reported_model
    left join upstream
        on
            unioned.provider = upstream.provider
            and unioned.container_type = upstream.account_type
            and unioned.container_id = upstream.account_id

)

select * from final
