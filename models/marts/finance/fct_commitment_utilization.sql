{#-
    How each commitment period was used: what usage it covered, how much of its amount was amortised
    onto that usage (effective cost), and what was left unused. Drawdown commitments (prepaid credits,
    usage bundles, committed spend): the unused part of the included usage is known when the period
    closes (unused_cost, visible here and as an `unused_commitment` chargeback line); until then it is
    the remaining balance. Provisioned throughput: each elapsed day's share of the fee is amortised
    onto that day's usage of the model, or is unused when the model had no usage that day.
    amortized_cost + unused_cost + unamortized_amount = period_amount on every row.
    Grain: commitment x period.
-#}
with periods as (

    select * from {{ ref('int_commitment_periods') }}

),

usage as (

    select * from {{ ref('int_usage_commitments_daily') }}

),

covered as (

    {%- set stages = ['provisioned_throughput', 'prepaid_credit', 'usage_bundle', 'committed_spend'] %}
    {%- for stage in stages %}
        select
            {{ stage }}_commitment_id as commitment_id,
            usage_date,
            {{ stage }}_covered_cost as covered_cost,
            {{ stage }}_amortized_cost as amortized_cost
        from usage
        where {{ stage }}_commitment_id is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

used as (

    select
        periods.commitment_period_id,
        sum(covered.covered_cost) as drawn_usage_cost,
        sum(covered.amortized_cost) as amortized_cost,
        sum(case when covered.amortized_cost > 0 then 1 else 0 end) as days_with_usage
    from periods
    inner join covered
        on periods.commitment_id = covered.commitment_id
            and periods.period_start <= covered.usage_date
            and periods.period_end > covered.usage_date
    group by 1

),

measured as (

    select
        periods.*,
        coalesce(used.drawn_usage_cost, 0) as drawn_usage_cost,
        coalesce(used.amortized_cost, 0) as amortized_cost,
        coalesce(used.days_with_usage, 0) as days_with_usage
    from periods
    left join used
        on periods.commitment_period_id = used.commitment_period_id

),

final as (

    select
        commitment_period_id as commitment_utilization_id,
        commitment_id,
        provider,
        model_id,
        commitment_type,
        period_start,
        period_end,
        case when is_closed then 'closed' else 'open' end as period_status,
        cast(days_in_period as {{ dbt.type_bigint() }}) as days_in_period,
        cast(elapsed_days as {{ dbt.type_bigint() }}) as elapsed_days,
        cast(
            {{ dbt.dateadd('day', 'elapsed_days - 1', 'period_start') }} as date
        ) as last_elapsed_date,
        cast(period_amount as {{ ai_finops.type_double() }}) as period_amount,
        cast(period_included_usage as {{ ai_finops.type_double() }}) as period_included_usage,
        cast(drawn_usage_cost as {{ ai_finops.type_double() }}) as drawn_usage_cost,
        cast(amortized_cost as {{ ai_finops.type_double() }}) as amortized_cost,
        cast(
            case
                when commitment_type = 'provisioned_throughput' then null
                when is_closed then period_included_usage - drawn_usage_cost
                else 0
            end as {{ ai_finops.type_double() }}
        ) as unused_usage,
        cast(
            case
                when commitment_type = 'provisioned_throughput'
                    then period_amount * elapsed_days / days_in_period - amortized_cost
                when is_closed then period_amount - amortized_cost
                else 0
            end as {{ ai_finops.type_double() }}
        ) as unused_cost,
        cast(
            case
                when commitment_type = 'provisioned_throughput'
                    then period_amount * (days_in_period - elapsed_days) / days_in_period
                when is_closed then 0
                else period_amount - amortized_cost
            end as {{ ai_finops.type_double() }}
        ) as unamortized_amount,
        cast(
            case
                when commitment_type <> 'provisioned_throughput' and not is_closed
                    then period_included_usage - drawn_usage_cost
                else 0
            end as {{ ai_finops.type_double() }}
        ) as remaining_balance,
        cast(
            case
                when commitment_type = 'provisioned_throughput'
                    then 100.0 * days_with_usage / nullif(elapsed_days, 0)
                else 100.0 * drawn_usage_cost / nullif(period_included_usage, 0)
            end as {{ ai_finops.type_double() }}
        ) as utilization_pct,
        currency
    from measured

)

select * from final
