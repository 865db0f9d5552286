{#-
    Commitments applied to priced usage, per day x provider x model x usage kind (tokens, or usage
    priced per unit: images, speech characters, transcription seconds, tool sessions/calls). Stages
    take the contracted cost in a fixed order, each from what the previous stages left:
      1. provisioned throughput: all token usage of its model is covered (capacity serves tokens;
         unit usage of the model, e.g. its web-search calls, is billed on top); the period's fee is
         amortised evenly over its days, and a day's share is spread over that day's token usage of it;
      2. prepaid credits, 3. usage bundles, 4. committed spend: each period of the commitment draws
         down its included usage from ALL priced usage in its scope (the provider, and the model when
         the commitment names one): token and unit rows alike, as a provider invoices credits and
         committed spend against the account's whole bill. Order: days in date order; within a day the
         day's token + unit cost is one amount, so the day that exhausts the period is covered pro rata
         across all of that day's rows (no row of a day goes before another: deterministic, and the
         drawn total never exceeds the included usage). Covered dollars cost unit_rate each (what was
         paid per dollar of usage included).
    Whatever no stage covers stays at contracted cost (times a bundle's overage_pct when one is in
    force). effective_per_contracted_dollar turns any finer row's contracted cost into its effective
    cost (join on usage_kind too). Unpriced usage (null contracted cost) draws nothing. Unused
    commitment is not here: it is in fct_commitment_utilization.
-#}
{%- set drawdown_stages = ['prepaid_credit', 'usage_bundle', 'committed_spend'] -%}
{%- set carried = [
    'usage_date', 'provider', 'model_id', 'usage_kind', 'contracted_cost', 'provisioned_throughput_commitment_id',
    'provisioned_throughput_covered_cost', 'provisioned_throughput_amortized_cost'
] -%}

with usage as (

    select
        usage_date,
        provider,
        model_id,
        usage_kind,
        sum(contracted_cost) as contracted_cost
    from {{ ref('int_usage_priced') }}
    where pricing_status = 'priced'
    group by 1, 2, 3, 4

),

periods as (

    select * from {{ ref('int_commitment_periods') }}

),

throughput_periods as (

    select * from periods
    where commitment_type = 'provisioned_throughput'

),

-- stage 1: provisioned throughput covers the whole day's usage of its model for the day's share of the fee
after_provisioned_throughput as (

    select
        usage.usage_date,
        usage.provider,
        usage.model_id,
        usage.usage_kind,
        usage.contracted_cost,
        throughput_periods.commitment_id as provisioned_throughput_commitment_id,
        case when throughput_periods.commitment_id is not null then usage.contracted_cost else 0 end
            as provisioned_throughput_covered_cost,
        case
            when throughput_periods.commitment_id is not null and usage.contracted_cost > 0
                then throughput_periods.period_amount / throughput_periods.days_in_period
            else 0
        end as provisioned_throughput_amortized_cost,
        case when throughput_periods.commitment_id is not null then 0 else usage.contracted_cost end
            as remaining_cost
    from usage
    left join throughput_periods
        on usage.provider = throughput_periods.provider
            and usage.model_id = throughput_periods.model_id
            -- capacity serves the model's tokens; its unit usage (tool calls, images) is billed on top
            and usage.usage_kind = 'tokens'
            and usage.usage_date >= throughput_periods.period_start
            and usage.usage_date < throughput_periods.period_end

),
{% for stage in drawdown_stages %}
    {%- set previous = 'after_provisioned_throughput' if loop.first else 'after_' ~ drawdown_stages[loop.index0 - 1] %}

    {{ stage }}_scope as (

        select
            {{ previous }}.usage_date,
            {{ previous }}.provider,
            {{ previous }}.model_id,
            {{ previous }}.usage_kind,
            {{ previous }}.remaining_cost,
            periods.commitment_id,
            periods.period_start,
            periods.period_included_usage,
            periods.unit_rate,
            periods.overage_pct
        from {{ previous }}
        inner join periods
            on periods.commitment_type = '{{ stage }}'
                and {{ previous }}.provider = periods.provider
                and (periods.model_id = '*' or {{ previous }}.model_id = periods.model_id)
                and {{ previous }}.usage_date >= periods.period_start
                and {{ previous }}.usage_date < periods.period_end

    ),

    {{ stage }}_days as (

        select
            commitment_id,
            period_start,
            usage_date,
            period_included_usage,
            sum(remaining_cost) as day_cost
        from {{ stage }}_scope
        group by 1, 2, 3, 4

    ),

    {{ stage }}_drawn as (

        select
            commitment_id,
            period_start,
            usage_date,
            case
                when day_cost > 0
                    then
                        least(
                            greatest(
                                period_included_usage - coalesce(sum(day_cost) over (
                                    partition by commitment_id, period_start order by usage_date
                                    rows between unbounded preceding and 1 preceding
                                ), 0),
                                0
                            ),
                            day_cost
                        ) / day_cost
                else 0
            end as covered_fraction
        from {{ stage }}_days

    ),

    after_{{ stage }} as (

        select
            {%- for column in carried %}
                {{ previous }}.{{ column }},
            {%- endfor %}
            case when {{ stage }}_drawn.covered_fraction > 0 then {{ stage }}_scope.commitment_id end
                as {{ stage }}_commitment_id,
            {{ previous }}.remaining_cost * coalesce({{ stage }}_drawn.covered_fraction, 0)
                as {{ stage }}_covered_cost,
            {{ previous }}.remaining_cost * coalesce({{ stage }}_drawn.covered_fraction, 0)
            * coalesce({{ stage }}_scope.unit_rate, 0) as {{ stage }}_amortized_cost,
            {%- if stage == 'usage_bundle' %}
                {{ stage }}_scope.overage_pct as usage_bundle_overage_pct,
            {%- endif %}
            {{ previous }}.remaining_cost * (1 - coalesce({{ stage }}_drawn.covered_fraction, 0)) as remaining_cost
        from {{ previous }}
        left join {{ stage }}_scope
            on {{ previous }}.usage_date = {{ stage }}_scope.usage_date
                and {{ previous }}.provider = {{ stage }}_scope.provider
                and {{ previous }}.model_id = {{ stage }}_scope.model_id
                and {{ previous }}.usage_kind = {{ stage }}_scope.usage_kind
        left join {{ stage }}_drawn
            on {{ stage }}_scope.commitment_id = {{ stage }}_drawn.commitment_id
                and {{ stage }}_scope.period_start = {{ stage }}_drawn.period_start
                and {{ stage }}_scope.usage_date = {{ stage }}_drawn.usage_date

    ),
    {%- do carried.extend([stage ~ '_commitment_id', stage ~ '_covered_cost', stage ~ '_amortized_cost']) %}
    {%- if stage == 'usage_bundle' %}{% do carried.append('usage_bundle_overage_pct') %}{% endif %}
{% endfor %}

final as (

    select
        -- token rows keep their key; unit rows add the kind
        {{ dbt.hash(dbt.concat([
            "cast(usage_date as " ~ dbt.type_string() ~ ")", "'|'", "provider", "'|'", "model_id",
            "case when usage_kind = 'tokens' then '' else '|' || usage_kind end"
        ])) }} as usage_commitment_id,
        usage_date,
        provider,
        model_id,
        usage_kind,
        contracted_cost,
        -- the first commitment (in stage order) that covered any of the day's cost
        coalesce(
            provisioned_throughput_commitment_id, prepaid_credit_commitment_id, usage_bundle_commitment_id,
            committed_spend_commitment_id
        ) as commitment_id,
        provisioned_throughput_commitment_id,
        prepaid_credit_commitment_id,
        usage_bundle_commitment_id,
        committed_spend_commitment_id,
        provisioned_throughput_covered_cost,
        prepaid_credit_covered_cost,
        usage_bundle_covered_cost,
        committed_spend_covered_cost,
        provisioned_throughput_covered_cost + prepaid_credit_covered_cost + usage_bundle_covered_cost
        + committed_spend_covered_cost as commitment_covered_cost,
        provisioned_throughput_amortized_cost,
        prepaid_credit_amortized_cost,
        usage_bundle_amortized_cost,
        committed_spend_amortized_cost,
        provisioned_throughput_amortized_cost + prepaid_credit_amortized_cost + usage_bundle_amortized_cost
        + committed_spend_amortized_cost as amortized_commitment_cost,
        -- what no commitment covered: on demand at contracted cost, at a bundle's overage rate while one is in force
        remaining_cost * coalesce(usage_bundle_overage_pct, 100) / 100.0 as on_demand_cost,
        -- the contracted cost no commitment covered (contracted_cost = the four covered costs + this)
        remaining_cost as uncovered_contracted_cost,
        provisioned_throughput_amortized_cost + prepaid_credit_amortized_cost + usage_bundle_amortized_cost
        + committed_spend_amortized_cost
        + remaining_cost * coalesce(usage_bundle_overage_pct, 100) / 100.0 as effective_cost
    from after_committed_spend

)

select
    *,
    coalesce(effective_cost / nullif(contracted_cost, 0), 1.0) as effective_per_contracted_dollar
from final
