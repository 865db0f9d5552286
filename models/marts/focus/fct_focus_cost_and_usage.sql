{#-
    FOCUS 1.2 Cost and Usage rows, snake_case in the warehouse (`ai-finops focus-export` renames to
    FOCUS column names and writes Parquet and CSV). Usage rows: one per charge day x SKU price
    (provider x model x service tier x context tier x token type) x sub-account x resource x tags;
    ConsumedQuantity in tokens, PricingQuantity in millions of tokens, unit prices per million, and
    list_cost / contracted_cost computed as unit price x pricing quantity (the FOCUS identity);
    effective_cost is amortised (commitments, int_usage_commitments_daily); unused commitment is
    in fct_commitment_utilization, not here.
    Shared charges that are not provider usage (seeds/allocation/ai_finops__cost_pool_charges.csv: hosting,
    seats) are not FOCUS rows here: they live in fct_shared_cost_allocation_monthly.
    Unpriced models are exported at the rate the provider actually billed for them (x_pricing_status
    says so); unpriced usage with no bill cannot form a FOCUS row and is left out (its tokens stay
    visible in fct_chargeback_monthly.unpriced_tokens).
-#}
with attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

bill_factors as (

    select * from {{ ref('int_billed_cost_factors_monthly') }}

),

commitment_factors as (

    select * from {{ ref('int_usage_commitments_daily') }}

),

upstream_accounts as (

    select * from {{ ai_finops.reference_table('gateway_upstream_accounts') }}

),

token_rows as (

    {#- audio/image subsets are their own SKU prices; their parent rows carry only the text part -#}
    {%- set token_types = [
        ('input', 'attributed.uncached_input_tokens - attributed.input_audio_tokens - attributed.input_image_tokens',
            'input_usd_per_million', 'input tokens'),
        ('cache-read', 'attributed.cache_read_tokens - attributed.cache_read_audio_tokens - attributed.cache_read_image_tokens',
            'cache_read_usd_per_million', 'cache read tokens'),
        ('cache-write-5m', 'attributed.cache_write_5m_tokens', 'cache_write_5m_usd_per_million', 'cache write (5m TTL) tokens'),
        ('cache-write-1h', 'attributed.cache_write_1h_tokens', 'cache_write_1h_usd_per_million', 'cache write (1h TTL) tokens'),
        ('output', 'attributed.output_tokens - attributed.output_audio_tokens - attributed.output_image_tokens',
            'output_usd_per_million', 'output tokens'),
        ('input-audio', 'attributed.input_audio_tokens', 'input_audio_usd_per_million', 'audio input tokens'),
        ('cache-read-audio', 'attributed.cache_read_audio_tokens', 'cache_read_audio_usd_per_million', 'audio cache read tokens'),
        ('output-audio', 'attributed.output_audio_tokens', 'output_audio_usd_per_million', 'audio output tokens'),
        ('input-image', 'attributed.input_image_tokens', 'input_image_usd_per_million', 'image input tokens'),
        ('cache-read-image', 'attributed.cache_read_image_tokens', 'cache_read_image_usd_per_million', 'image cache read tokens'),
        ('output-image', 'attributed.output_image_tokens', 'output_image_usd_per_million', 'image output tokens'),
    ] %}
    {%- for token_type, token_column, price_column, meter in token_types %}
        select
            attributed.usage_date,
            attributed.source_system,
            attributed.provider,
            attributed.model_id,
            attributed.service_tier,
            attributed.context_tier,
            attributed.pricing_status,
            attributed.discount_pct,
            coalesce(attributed.container_type, upstream_accounts.account_type) as container_type,
            coalesce(attributed.container_id, upstream_accounts.account_id) as container_id,
            case
                when attributed.gateway_key_alias is not null then 'LLM gateway virtual key'
                when attributed.provider_key_id is not null then 'API key'
            end as resource_type,
            coalesce(attributed.gateway_key_alias, attributed.provider_key_id) as resource_id,
            attributed.business_unit_id,
            attributed.cost_center_id,
            attributed.team_id,
            attributed.workflow_id,
            attributed.agent_id,
            attributed.attribution_method,
            '{{ token_type }}' as token_type,
            '{{ meter }}' as sku_meter,
            -- the price book is USD: unit prices in the reporting currency
            attributed.{{ price_column }} * attributed.price_fx_rate as list_unit_price,
            {{ token_column }} as consumed_tokens
        from attributed
        left join upstream_accounts
            on attributed.source_system = 'litellm_gateway'
                and attributed.provider = upstream_accounts.provider
        where {{ token_column }} <> 0
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

usage_grouped as (

    select
        usage_date,
        provider,
        model_id,
        service_tier,
        context_tier,
        pricing_status,
        discount_pct,
        container_type,
        container_id,
        resource_type,
        resource_id,
        business_unit_id,
        cost_center_id,
        team_id,
        workflow_id,
        agent_id,
        attribution_method,
        token_type,
        sku_meter,
        list_unit_price,
        sum(consumed_tokens) as consumed_tokens
    from token_rows
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20

),

usage_priced as (

    select
        usage_grouped.*,
        cast({{ dbt.date_trunc('month', 'usage_grouped.usage_date') }} as date) as billing_month,
        case
            when usage_grouped.pricing_status = 'priced' then usage_grouped.list_unit_price
            else bill_factors.billed_per_unpriced_token * 1000000.0
        end as effective_list_unit_price,
        case
            when usage_grouped.pricing_status = 'priced' then 1 - usage_grouped.discount_pct / 100.0
            else 1.0
        end as contracted_factor,
        case
            when usage_grouped.pricing_status = 'priced' then coalesce(bill_factors.billed_per_contracted_dollar, 1.0)
            else 1.0
        end as billed_factor,
        -- EffectiveCost is amortised: commitments covering the day's usage of the model (1 = none)
        coalesce(commitment_factors.effective_per_contracted_dollar, 1.0) as effective_factor
    from usage_grouped
    left join bill_factors
        on cast({{ dbt.date_trunc('month', 'usage_grouped.usage_date') }} as date) = bill_factors.billing_month
            and usage_grouped.provider = bill_factors.provider
    left join commitment_factors
        on usage_grouped.usage_date = commitment_factors.usage_date
            and usage_grouped.provider = commitment_factors.provider
            and usage_grouped.model_id = commitment_factors.model_id
            and usage_grouped.pricing_status = 'priced'

),

usage_rows as (

    select
        billing_month,
        cast(usage_date as {{ dbt.type_timestamp() }}) as charge_period_start,
        cast({{ dbt.dateadd('day', 1, 'usage_date') }} as {{ dbt.type_timestamp() }}) as charge_period_end,
        'Usage' as charge_category,
        'Usage-Based' as charge_frequency,
        provider,
        model_id,
        service_tier,
        context_tier,
        token_type,
        sku_meter,
        container_type,
        container_id,
        resource_type,
        resource_id,
        business_unit_id,
        cost_center_id,
        team_id,
        workflow_id,
        agent_id,
        attribution_method,
        case when pricing_status = 'priced' then 'priced' else 'unpriced_billed_rate' end as pricing_status,
        model_id || ' ' || sku_meter
        || case when service_tier <> 'standard' then ' (' || service_tier || ')' else '' end
        || case when context_tier <> 'standard' then ' (' || context_tier || ' context)' else '' end
            as charge_description,
        cast(consumed_tokens as {{ ai_finops.type_double() }}) as consumed_quantity,
        'Tokens' as consumed_unit,
        cast(consumed_tokens as {{ ai_finops.type_double() }}) / 1000000.0 as pricing_quantity,
        '1000000 Tokens' as pricing_unit,
        effective_list_unit_price as list_unit_price,
        effective_list_unit_price * contracted_factor as contracted_unit_price,
        billed_factor,
        effective_factor
    from usage_priced
    where effective_list_unit_price is not null

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(charge_period_start as " ~ dbt.type_string() ~ ")", "'|'", "charge_category", "'|'", "provider",
            "'|'", "coalesce(model_id, '')", "'|'", "coalesce(service_tier, '')", "'|'", "coalesce(context_tier, '')",
            "'|'", "coalesce(token_type, '')", "'|'", "coalesce(container_id, '')", "'|'", "coalesce(resource_id, '')",
            "'|'", "coalesce(team_id, '')", "'|'", "coalesce(workflow_id, '')", "'|'", "coalesce(agent_id, '')",
            "'|'", "attribution_method", "'|'", "charge_description"
        ])) }} as focus_row_id,
        cast(contracted_unit_price * pricing_quantity * billed_factor as {{ ai_finops.type_double() }})
            as billed_cost,
        provider as billing_account_id,
        {{ ai_finops.focus_provider_name('provider') }} || ' organization' as billing_account_name,
        'Organization' as billing_account_type,
        '{{ var("ai_finops__reporting_currency") }}' as billing_currency,
        cast(null as {{ dbt.type_string() }}) as invoice_id,
        '{{ var("ai_finops__reporting_currency") }}' as pricing_currency,
        cast(list_unit_price as {{ ai_finops.type_double() }}) as pricing_currency_list_unit_price,
        cast(contracted_unit_price as {{ ai_finops.type_double() }}) as pricing_currency_contracted_unit_price,
        cast(contracted_unit_price * pricing_quantity * effective_factor as {{ ai_finops.type_double() }})
            as pricing_currency_effective_cost,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_id,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_status,
        cast(billing_month as {{ dbt.type_timestamp() }}) as billing_period_start,
        cast({{ dbt.dateadd('month', 1, 'billing_month') }} as {{ dbt.type_timestamp() }}) as billing_period_end,
        charge_category,
        cast(null as {{ dbt.type_string() }}) as charge_class,
        charge_description,
        charge_frequency,
        charge_period_start,
        charge_period_end,
        consumed_quantity,
        consumed_unit,
        cast(contracted_unit_price * pricing_quantity as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(contracted_unit_price as {{ ai_finops.type_double() }}) as contracted_unit_price,
        cast(contracted_unit_price * pricing_quantity * effective_factor as {{ ai_finops.type_double() }})
            as effective_cost,
        {{ ai_finops.focus_provider_name('provider') }} as invoice_issuer_name,
        cast(list_unit_price * pricing_quantity as {{ ai_finops.type_double() }}) as list_cost,
        cast(list_unit_price as {{ ai_finops.type_double() }}) as list_unit_price,
        'Standard' as pricing_category,
        pricing_quantity,
        pricing_unit,
        {{ ai_finops.focus_provider_name('provider') }} as provider_name,
        {{ ai_finops.focus_publisher_name('provider', 'model_id') }} as publisher_name,
        resource_id,
        resource_id as resource_name,
        resource_type,
        'AI and Machine Learning' as service_category,
        {{ ai_finops.focus_service_name('provider') }} as service_name,
        'Generative AI' as service_subcategory,
        model_id || '/' || token_type as sku_id,
        provider || '/' || model_id || '/' || service_tier || '/' || context_tier || '/' || token_type as sku_price_id,
        sku_meter,
        '{"x_TokenType": "' || token_type || '", "x_ServiceTier": "' || service_tier
        || '", "x_ContextTier": "' || context_tier || '"}' as sku_price_details,
        container_id as sub_account_id,
        container_id as sub_account_name,
        case container_type
            when 'project' then 'Project'
            when 'workspace' then 'Workspace'
            when 'aws_account' then 'Account'
            when 'azure_resource' then 'Resource'
            when 'gcp_project' then 'Project'
        end as sub_account_type,
        '{"team": "' || team_id || '", "cost_center": "' || cost_center_id
        || '", "business_unit": "' || business_unit_id || '", "workflow": "' || workflow_id
        || '", "agent": "' || agent_id || '", "attribution_method": "' || attribution_method || '"}' as tags,
        pricing_status as x_pricing_status,
        team_id as x_team_id,
        cast(billing_month as date) as x_billing_month
    from usage_rows

)

select * from final
