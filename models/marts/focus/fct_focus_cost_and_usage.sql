{#-
    FOCUS 1.2 Cost and Usage rows, snake_case in the warehouse (`ai-finops focus-export` renames to
    FOCUS column names and writes Parquet and CSV). Usage rows: one per charge day x SKU price
    (provider x model x service tier x context tier x token type) x sub-account x resource x tags;
    ConsumedQuantity in tokens, PricingQuantity in millions of tokens, unit prices per million, and
    list_cost / contracted_cost computed as unit price x pricing quantity (the FOCUS identity);
    effective_cost is amortised (commitments, int_usage_commitments_daily).
    Commitments (FOCUS commitment discounts): a usage row is split into the part each commitment
    covered (CommitmentDiscountStatus 'Used', PricingCategory 'Committed', BilledCost 0: the purchase
    pays it, EffectiveCost = its amortised share) and the part none covered (on demand, billed as
    the provider billed it). Every commitment period is a 'Purchase' row (BilledCost = the period's
    amount, EffectiveCost 0) and the unused part of a period (fct_commitment_utilization.unused_cost)
    is a 'Usage' row with status 'Unused' (EffectiveCost = unused cost, BilledCost 0). So
    sum(EffectiveCost) = amortised usage cost + unused commitment, and
    sum(BilledCost) = billed cost of uncovered usage + commitment purchases.
    Shared charges that are not provider usage (seeds/allocation/ai_finops__cost_pool_charges.csv: hosting,
    seats) are not FOCUS rows here: they live in fct_shared_cost_allocation_monthly.
    Unpriced models are exported at the rate the provider actually billed for them (x_pricing_status
    says so); unpriced usage with no bill cannot form a FOCUS row and is left out (its tokens stay
    visible in fct_chargeback_monthly.unpriced_tokens).
    Usage priced per unit (int_usage_attributed.usage_kind = 'units': images, speech characters,
    transcription seconds, code interpreter sessions, file/web search calls, vector storage GiB-hours,
    moderation tokens) is a Usage row per charge day x model x endpoint x detail (image size, search
    context, vector store) x sub-account x resource x tags: ConsumedQuantity = PricingQuantity =
    usage_quantity in its unit (ConsumedUnit = PricingUnit: 'Images', 'Characters', ...), unit prices per
    unit (the unit price book's, i.e. the group's list cost / quantity), contracted at the contract discount,
    billed at the provider-month's billed factor; priced unit usage a drawdown commitment covered is split
    into Used parts like token usage (int_usage_commitments_daily draws token and unit cost alike).
    Unpriced unit usage takes the rate billed per unit of its endpoint x model
    (int_billed_unit_cost_factors_monthly.billed_per_unpriced_unit, 0 when nothing of it was billed);
    with no unit bill factor it cannot form a FOCUS row (it stays in
    fct_chargeback_monthly.unpriced_unit_usage_rows).
-#}
{%- set commitment_stages = ['provisioned_throughput', 'prepaid_credit', 'usage_bundle', 'committed_spend'] -%}
{#- the Usage API's quantity units as FOCUS units -#}
{%- set focus_unit -%}
    case quantity_unit
        when 'images' then 'Images'
        when 'characters' then 'Characters'
        when 'seconds' then 'Seconds'
        when 'tokens' then 'Tokens'
        when 'gibibyte_hours' then 'GiB-Hours'
        when 'sessions' then 'Sessions'
        when 'calls' then 'Calls'
        else coalesce(quantity_unit, 'Tokens')
    end
{%- endset %}
{%- set unit_meters = {
    'images': 'images',
    'audio_speeches': 'speech characters',
    'audio_transcriptions': 'transcription seconds',
    'moderations': 'moderation tokens',
    'vector_stores': 'vector store storage GiB-hours',
    'code_interpreter_sessions': 'code interpreter sessions',
    'file_search_calls': 'file search calls',
    'web_search_calls': 'web search calls',
} %}
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

commitment_periods as (

    select * from {{ ref('int_commitment_periods') }}

),

commitment_utilization as (

    select * from {{ ref('fct_commitment_utilization') }}

),

commitments as (

    select * from {{ ai_finops.reference_table('commitments') }}

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
            attributed.region,
            attributed.price_region,
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
            'tokens' as usage_kind,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint,
            cast(null as {{ dbt.type_string() }}) as usage_detail,
            cast(null as {{ dbt.type_string() }}) as quantity_unit,
            -- the price book is USD: unit prices in the reporting currency
            attributed.{{ price_column }} * attributed.price_fx_rate as list_unit_price,
            cast(null as {{ ai_finops.type_double() }}) as unit_list_cost,
            {{ token_column }} as consumed_tokens
        from attributed
        left join upstream_accounts
            on attributed.source_system = 'litellm_gateway'
                and attributed.provider = upstream_accounts.provider
        where {{ token_column }} <> 0
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

-- usage priced per unit (images, speech characters, transcription seconds, tool sessions and calls,
-- vector storage): one SKU per endpoint x detail, its quantity in consumed_tokens (the column is shared)
unit_rows as (

    select
        attributed.usage_date,
        attributed.source_system,
        attributed.provider,
        attributed.model_id,
        attributed.service_tier,
        attributed.context_tier,
        attributed.region,
        attributed.price_region,
        attributed.pricing_status,
        attributed.discount_pct,
        attributed.container_type,
        attributed.container_id,
        case when attributed.provider_key_id is not null then 'API key' end as resource_type,
        attributed.provider_key_id as resource_id,
        attributed.business_unit_id,
        attributed.cost_center_id,
        attributed.team_id,
        attributed.workflow_id,
        attributed.agent_id,
        attributed.attribution_method,
        attributed.usage_endpoint as token_type,
        case attributed.usage_endpoint
            {%- for endpoint, meter in unit_meters.items() %}
                when '{{ endpoint }}' then '{{ meter }}'
            {%- endfor %}
            else attributed.usage_endpoint
        end as sku_meter,
        attributed.usage_kind,
        attributed.usage_endpoint,
        attributed.usage_detail,
        attributed.quantity_unit,
        -- the unit price follows from the group's list cost (unit price book x the day's FX rate)
        cast(null as {{ ai_finops.type_double() }}) as list_unit_price,
        attributed.list_cost as unit_list_cost,
        attributed.usage_quantity as consumed_tokens
    from attributed
    where attributed.usage_kind = 'units'
        and attributed.usage_quantity <> 0

),

all_usage_rows as (

    select * from token_rows
    union all
    select * from unit_rows

),

usage_grouped as (

    select
        usage_date,
        provider,
        model_id,
        service_tier,
        context_tier,
        region,
        price_region,
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
        usage_kind,
        usage_endpoint,
        usage_detail,
        quantity_unit,
        list_unit_price,
        sum(unit_list_cost) as unit_list_cost,
        sum(consumed_tokens) as consumed_tokens
    from all_usage_rows
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26

),

usage_priced as (

    select
        usage_grouped.*,
        cast({{ dbt.date_trunc('month', 'usage_grouped.usage_date') }} as date) as billing_month,
        case
            when usage_grouped.usage_kind = 'units' and usage_grouped.pricing_status = 'priced'
                then usage_grouped.unit_list_cost / usage_grouped.consumed_tokens
            -- unpriced unit usage: the rate the provider billed per unit of the endpoint (null: no bill)
            when usage_grouped.usage_kind = 'units' then unit_bill_factors.billed_per_unpriced_unit
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
        commitment_factors.contracted_cost as day_contracted_cost,
        commitment_factors.uncovered_contracted_cost as day_uncovered_contracted_cost,
        commitment_factors.on_demand_cost as day_on_demand_cost,
        {%- for stage in commitment_stages %}
            commitment_factors.{{ stage }}_commitment_id,
            commitment_factors.{{ stage }}_covered_cost,
            commitment_factors.{{ stage }}_amortized_cost,
        {%- endfor %}
        -- EffectiveCost is amortised: commitments covering the day's usage of the model (1 = none)
        coalesce(commitment_factors.effective_per_contracted_dollar, 1.0) as effective_factor
    from usage_grouped
    left join bill_factors
        on cast({{ dbt.date_trunc('month', 'usage_grouped.usage_date') }} as date) = bill_factors.billing_month
            and usage_grouped.provider = bill_factors.provider
    left join unit_bill_factors
        on cast({{ dbt.date_trunc('month', 'usage_grouped.usage_date') }} as date) = unit_bill_factors.billing_month
            and usage_grouped.provider = unit_bill_factors.provider
            and usage_grouped.usage_endpoint = unit_bill_factors.usage_endpoint
            and usage_grouped.model_id = unit_bill_factors.model_id
    -- commitments per day x provider x model x usage kind (int_usage_commitments_daily): priced unit usage
    -- is drawn like tokens; unpriced usage never is
    left join commitment_factors
        on usage_grouped.usage_date = commitment_factors.usage_date
            and usage_grouped.provider = commitment_factors.provider
            and usage_grouped.model_id = commitment_factors.model_id
            and usage_grouped.usage_kind = commitment_factors.usage_kind
            and usage_grouped.pricing_status = 'priced'

),

-- one part per commitment that covered some of the day's usage of the model, plus the uncovered part
usage_parts as (

    {%- for stage in commitment_stages %}
        select
            *,
            '{{ stage }}' as commitment_type,
            {{ stage }}_commitment_id as commitment_discount_id,
            'Used' as commitment_discount_status,
            {{ stage }}_covered_cost / day_contracted_cost as part_fraction,
            {{ stage }}_amortized_cost / {{ stage }}_covered_cost as part_effective_factor,
            -- the commitment's purchase pays for the usage it covers
            0.0 as part_billed_factor,
            provisioned_throughput_covered_cost as day_provisioned_throughput_covered_cost
        from usage_priced
        where {{ stage }}_covered_cost > 0
            and day_contracted_cost > 0
        union all
    {%- endfor %}
    select
        *,
        cast(null as {{ dbt.type_string() }}) as commitment_type,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_id,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_status,
        case
            when day_contracted_cost > 0 then day_uncovered_contracted_cost / day_contracted_cost
            else 1.0
        end as part_fraction,
        case
            when day_uncovered_contracted_cost > 0 then day_on_demand_cost / day_uncovered_contracted_cost
            else effective_factor
        end as part_effective_factor,
        billed_factor as part_billed_factor,
        provisioned_throughput_covered_cost as day_provisioned_throughput_covered_cost
    from usage_priced
    where day_contracted_cost is null
        or day_contracted_cost <= 0
        or day_uncovered_contracted_cost > 0

),

usage_parts_sized as (

    select
        *,
        cast(consumed_tokens as {{ ai_finops.type_double() }}) * part_fraction as part_tokens
    from usage_parts

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
        -- endpoints without a model (tools, vector storage) carry the endpoint as model_id: the meter names it
        case when model_id = coalesce(usage_endpoint, '') then '' else model_id || ' ' end || sku_meter
        || coalesce(' (' || usage_detail || ')', '')
        || case when service_tier <> 'standard' then ' (' || service_tier || ')' else '' end
        || case when context_tier <> 'standard' then ' (' || context_tier || ' context)' else '' end
        || coalesce(' (' || price_region || ' price)', '')
            as charge_description,
        part_tokens as consumed_quantity,
        {{ focus_unit }} as consumed_unit,
        -- tokens are priced per million, units per unit
        case when usage_kind = 'units' then part_tokens else part_tokens / 1000000.0 end as pricing_quantity,
        case when usage_kind = 'units' then {{ focus_unit }} else '1000000 Tokens' end as pricing_unit,
        effective_list_unit_price as list_unit_price,
        effective_list_unit_price * contracted_factor as contracted_unit_price,
        part_billed_factor as billed_factor,
        part_effective_factor as effective_factor,
        case when commitment_discount_id is not null then 'Committed' else 'Standard' end as pricing_category,
        commitment_type,
        commitment_discount_id,
        commitment_discount_status,
        -- what the row drew from the commitment: contracted dollars (spend), or its share of the day (capacity)
        case
            when commitment_type = 'provisioned_throughput'
                then effective_list_unit_price * contracted_factor * part_tokens / 1000000.0
                    / day_provisioned_throughput_covered_cost
            -- unit usage is priced per unit, tokens per million
            when commitment_type is not null and usage_kind = 'units'
                then effective_list_unit_price * contracted_factor * part_tokens
            when commitment_type is not null
                then effective_list_unit_price * contracted_factor * part_tokens / 1000000.0
        end as commitment_discount_quantity,
        case when model_id = coalesce(usage_endpoint, '') then usage_endpoint else model_id || '/' || token_type end
            as sku_id,
        -- a regional price (Bedrock `<region>/<model>` price point) is a SKU price of its own
        provider || '/' || model_id || '/' || service_tier || '/' || context_tier || '/' || token_type
        || coalesce('/' || price_region, '') || coalesce('/' || usage_detail, '') as sku_price_id,
        case
            when usage_kind = 'units'
                then '{"x_UsageEndpoint": "' || usage_endpoint || '"'
                    || coalesce(', "x_UsageDetail": "' || usage_detail || '"', '') || '}'
            else '{"x_TokenType": "' || token_type || '", "x_ServiceTier": "' || service_tier
                || '", "x_ContextTier": "' || context_tier || '"}'
        end as sku_price_details,
        '{"team": "' || team_id || '", "cost_center": "' || cost_center_id
        || '", "business_unit": "' || business_unit_id || '", "workflow": "' || workflow_id
        || '", "agent": "' || agent_id || '", "attribution_method": "' || attribution_method || '"}' as tags,
        -- where the provider served the usage (Bedrock CUR rows); null where the source does not say
        region
    from usage_parts_sized
    where effective_list_unit_price is not null

),

usage_costed as (

    select
        *,
        contracted_unit_price * pricing_quantity * billed_factor as billed_cost_amount,
        contracted_unit_price * pricing_quantity * effective_factor as effective_cost_amount
    from usage_rows

),

-- commitment periods that have begun: the purchase (one-time for a term, recurring per period otherwise)
commitment_purchases as (

    select
        commitment_periods.commitment_id,
        commitment_periods.provider,
        commitment_periods.model_id,
        commitment_periods.commitment_type,
        commitment_periods.period_start as charge_date,
        'Purchase' as charge_category,
        case when commitments.period = 'term' then 'One-Time' else 'Recurring' end as charge_frequency,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_status,
        case
            when commitment_periods.commitment_type = 'provisioned_throughput'
                then cast(commitment_periods.days_in_period as {{ ai_finops.type_double() }})
            else commitment_periods.period_included_usage
        end as commitment_discount_quantity,
        cast(1 as {{ ai_finops.type_double() }}) as pricing_quantity,
        'Commitment' as pricing_unit,
        commitment_periods.period_amount as unit_price,
        commitment_periods.period_amount as billed_cost_amount,
        -- amortised onto the usage it covers (and the unused row): not counted twice
        cast(0 as {{ ai_finops.type_double() }}) as effective_cost_amount,
        'commitment_purchase' as pricing_status,
        'commitment purchase' as sku_meter,
        commitments.description
    from commitment_periods
    inner join commitments
        on commitment_periods.commitment_id = commitments.commitment_id
    where commitment_periods.period_amount is not null

),

-- the part of a period no usage drew: known when a drawdown period closes, per elapsed day for capacity
commitment_unused as (

    select
        commitment_utilization.commitment_id,
        commitment_utilization.provider,
        commitment_utilization.model_id,
        commitment_utilization.commitment_type,
        commitment_utilization.last_elapsed_date as charge_date,
        'Usage' as charge_category,
        'Usage-Based' as charge_frequency,
        'Unused' as commitment_discount_status,
        case
            when commitment_utilization.commitment_type = 'provisioned_throughput'
                then commitment_utilization.unused_cost * commitment_utilization.days_in_period
                    / commitment_utilization.period_amount
            else commitment_utilization.unused_usage
        end as commitment_discount_quantity,
        case
            when commitment_utilization.commitment_type = 'provisioned_throughput'
                then commitment_utilization.unused_cost * commitment_utilization.days_in_period
                    / commitment_utilization.period_amount
            else commitment_utilization.unused_usage
        end as pricing_quantity,
        case
            when commitment_utilization.commitment_type = 'provisioned_throughput' then 'Days'
            else '{{ var("ai_finops__reporting_currency") }}'
        end as pricing_unit,
        cast(0 as {{ ai_finops.type_double() }}) as unit_price,
        cast(0 as {{ ai_finops.type_double() }}) as billed_cost_amount,
        commitment_utilization.unused_cost as effective_cost_amount,
        'unused_commitment' as pricing_status,
        'unused commitment' as sku_meter,
        commitments.description
    from commitment_utilization
    inner join commitments
        on commitment_utilization.commitment_id = commitments.commitment_id
    where commitment_utilization.unused_cost > 0

),

commitment_charges as (

    select * from commitment_purchases
    union all
    select * from commitment_unused

),

commitment_rows as (

    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as billing_month,
        cast(charge_date as {{ dbt.type_timestamp() }}) as charge_period_start,
        cast({{ dbt.dateadd('day', 1, 'charge_date') }} as {{ dbt.type_timestamp() }}) as charge_period_end,
        charge_category,
        charge_frequency,
        provider,
        model_id,
        cast(null as {{ dbt.type_string() }}) as service_tier,
        cast(null as {{ dbt.type_string() }}) as context_tier,
        cast(null as {{ dbt.type_string() }}) as token_type,
        sku_meter,
        cast(null as {{ dbt.type_string() }}) as container_type,
        cast(null as {{ dbt.type_string() }}) as container_id,
        cast(null as {{ dbt.type_string() }}) as resource_type,
        cast(null as {{ dbt.type_string() }}) as resource_id,
        cast(null as {{ dbt.type_string() }}) as business_unit_id,
        cast(null as {{ dbt.type_string() }}) as cost_center_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as workflow_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        'commitment' as attribution_method,
        pricing_status,
        sku_meter || ': ' || description as charge_description,
        cast(null as {{ ai_finops.type_double() }}) as consumed_quantity,
        cast(null as {{ dbt.type_string() }}) as consumed_unit,
        pricing_quantity,
        pricing_unit,
        unit_price as list_unit_price,
        unit_price as contracted_unit_price,
        cast(null as {{ ai_finops.type_double() }}) as billed_factor,
        cast(null as {{ ai_finops.type_double() }}) as effective_factor,
        case when charge_category = 'Purchase' then 'Standard' else 'Committed' end as pricing_category,
        commitment_type,
        commitment_id as commitment_discount_id,
        commitment_discount_status,
        commitment_discount_quantity,
        'commitment/' || commitment_type as sku_id,
        provider || '/commitment/' || commitment_id as sku_price_id,
        '{"x_CommitmentType": "' || commitment_type || '", "x_CommitmentModel": "' || model_id || '"}'
            as sku_price_details,
        cast(null as {{ dbt.type_string() }}) as tags,
        cast(null as {{ dbt.type_string() }}) as region,
        billed_cost_amount,
        effective_cost_amount
    from commitment_charges

),

all_rows as (

    select * from usage_costed
    union all
    select * from commitment_rows

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(charge_period_start as " ~ dbt.type_string() ~ ")", "'|'", "charge_category", "'|'", "provider",
            "'|'", "coalesce(model_id, '')", "'|'", "coalesce(service_tier, '')", "'|'", "coalesce(context_tier, '')",
            "'|'", "coalesce(token_type, '')", "'|'", "coalesce(container_id, '')", "'|'", "coalesce(resource_id, '')",
            "'|'", "coalesce(team_id, '')", "'|'", "coalesce(workflow_id, '')", "'|'", "coalesce(agent_id, '')",
            "'|'", "attribution_method", "'|'", "charge_description", "'|'", "coalesce(region, '')",
            "case when commitment_discount_id is null then '' else '|' || commitment_discount_id || '|' || coalesce(commitment_discount_status, '') end"
        ])) }} as focus_row_id,
        cast(billed_cost_amount as {{ ai_finops.type_double() }}) as billed_cost,
        provider as billing_account_id,
        {{ ai_finops.focus_provider_name('provider') }} || ' organization' as billing_account_name,
        'Organization' as billing_account_type,
        '{{ var("ai_finops__reporting_currency") }}' as billing_currency,
        cast(null as {{ dbt.type_string() }}) as invoice_id,
        '{{ var("ai_finops__reporting_currency") }}' as pricing_currency,
        cast(list_unit_price as {{ ai_finops.type_double() }}) as pricing_currency_list_unit_price,
        cast(contracted_unit_price as {{ ai_finops.type_double() }}) as pricing_currency_contracted_unit_price,
        cast(effective_cost_amount as {{ ai_finops.type_double() }}) as pricing_currency_effective_cost,
        commitment_discount_id,
        commitment_discount_status,
        case
            when commitment_type = 'provisioned_throughput' then 'Usage'
            when commitment_type is not null then 'Spend'
        end as commitment_discount_category,
        commitment_discount_id as commitment_discount_name,
        cast(commitment_discount_quantity as {{ ai_finops.type_double() }}) as commitment_discount_quantity,
        case commitment_type
            when 'provisioned_throughput' then 'Provisioned Throughput'
            when 'prepaid_credit' then 'Prepaid Credits'
            when 'usage_bundle' then 'Usage Bundle'
            when 'committed_spend' then 'Committed Spend'
        end as commitment_discount_type,
        case
            when commitment_type = 'provisioned_throughput' then 'Days'
            when commitment_type is not null then '{{ var("ai_finops__reporting_currency") }}'
        end as commitment_discount_unit,
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
        cast(effective_cost_amount as {{ ai_finops.type_double() }}) as effective_cost,
        {{ ai_finops.focus_provider_name('provider') }} as invoice_issuer_name,
        cast(list_unit_price * pricing_quantity as {{ ai_finops.type_double() }}) as list_cost,
        cast(list_unit_price as {{ ai_finops.type_double() }}) as list_unit_price,
        pricing_category,
        pricing_quantity,
        pricing_unit,
        {{ ai_finops.focus_provider_name('provider') }} as provider_name,
        {{ ai_finops.focus_publisher_name('provider', 'model_id') }} as publisher_name,
        region as region_id,
        region as region_name,
        resource_id,
        resource_id as resource_name,
        resource_type,
        'AI and Machine Learning' as service_category,
        {{ ai_finops.focus_service_name('provider') }} as service_name,
        'Generative AI' as service_subcategory,
        sku_id,
        sku_price_id,
        sku_meter,
        sku_price_details,
        container_id as sub_account_id,
        container_id as sub_account_name,
        case container_type
            when 'project' then 'Project'
            when 'workspace' then 'Workspace'
            when 'aws_account' then 'Account'
            when 'azure_resource' then 'Resource'
            when 'gcp_project' then 'Project'
        end as sub_account_type,
        tags,
        pricing_status as x_pricing_status,
        team_id as x_team_id,
        cast(billing_month as date) as x_billing_month
    from all_rows

)

select * from final
