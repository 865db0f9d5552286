with estimates as (

    select * from {{ ai_finops.reference_table('cost_estimates') }}

),

cost_daily as (

    select * from {{ ref('fct_ai_cost_daily') }}

),

digits as (

    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9

),

-- 0..99: an estimate covers at most 100 months
month_offsets as (

    select tens.digit * 10 + units.digit as month_offset
    from digits as units
    cross join digits as tens

),

data_window as (

    select max(usage_date) as last_usage_date
    from cost_daily

),

-- one row per estimate and calendar month it covers, up to the last month with usage data
estimate_months as (

    select
        estimates.estimate_id,
        estimates.workflow_id,
        estimates.team_id,
        estimates.owner,
        estimates.submitted_date,
        estimates.provider,
        estimates.model_id,
        estimates.expected_monthly_requests,
        estimates.input_tokens_per_request,
        estimates.output_tokens_per_request,
        estimates.expected_monthly_list_cost,
        estimates.expected_monthly_contracted_cost,
        data_window.last_usage_date,
        cast({{ dbt.dateadd(
            'month', 'month_offsets.month_offset', dbt.date_trunc('month', 'estimates.valid_from')
        ) }} as date) as estimate_month
    from estimates
    inner join month_offsets
        on estimates.valid_months > month_offsets.month_offset
    cross join data_window

),

estimate_months_in_window as (

    select *
    from estimate_months
    where estimate_month <= last_usage_date

),

actual_monthly as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as usage_month,
        workflow_id,
        team_id,
        sum(request_count) as request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        count(distinct usage_date) as usage_days
    from cost_daily
    group by 1, 2, 3

),

compared as (

    select
        estimate_months_in_window.*,
        coalesce(actual_monthly.request_count, 0) as actual_request_count,
        coalesce(actual_monthly.input_tokens, 0) as actual_input_tokens,
        coalesce(actual_monthly.output_tokens, 0) as actual_output_tokens,
        coalesce(actual_monthly.list_cost, 0) as actual_list_cost,
        coalesce(actual_monthly.contracted_cost, 0) as actual_contracted_cost,
        coalesce(actual_monthly.usage_days, 0) as actual_usage_days
    from estimate_months_in_window
    left join actual_monthly
        on
            estimate_months_in_window.workflow_id = actual_monthly.workflow_id
            and estimate_months_in_window.team_id = actual_monthly.team_id
            and estimate_months_in_window.estimate_month = actual_monthly.usage_month

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "estimate_id", "'|'", "cast(estimate_month as " ~ dbt.type_string() ~ ")"
        ])) }} as estimate_month_id,
        estimate_id,
        estimate_month,
        workflow_id,
        team_id,
        owner,
        submitted_date,
        provider as estimated_provider,
        model_id as estimated_model_id,
        cast(expected_monthly_requests as {{ ai_finops.type_double() }}) as estimated_request_count,
        cast(actual_request_count as {{ dbt.type_bigint() }}) as actual_request_count,
        cast(input_tokens_per_request as {{ ai_finops.type_double() }}) as estimated_input_tokens_per_request,
        cast(
            case when actual_request_count > 0 then 1.0 * actual_input_tokens / actual_request_count end
            as {{ ai_finops.type_double() }}
        ) as actual_input_tokens_per_request,
        cast(output_tokens_per_request as {{ ai_finops.type_double() }}) as estimated_output_tokens_per_request,
        cast(
            case when actual_request_count > 0 then 1.0 * actual_output_tokens / actual_request_count end
            as {{ ai_finops.type_double() }}
        ) as actual_output_tokens_per_request,
        cast(expected_monthly_list_cost as {{ ai_finops.type_double() }}) as estimated_list_cost,
        cast(actual_list_cost as {{ ai_finops.type_double() }}) as actual_list_cost,
        cast(expected_monthly_contracted_cost as {{ ai_finops.type_double() }}) as estimated_contracted_cost,
        cast(actual_contracted_cost as {{ ai_finops.type_double() }}) as actual_contracted_cost,
        cast(actual_contracted_cost - expected_monthly_contracted_cost as {{ ai_finops.type_double() }})
            as contracted_cost_variance,
        cast(
            case
                when expected_monthly_contracted_cost > 0
                    then 100.0 * (actual_contracted_cost - expected_monthly_contracted_cost)
                        / expected_monthly_contracted_cost
            end as {{ ai_finops.type_double() }}
        ) as contracted_cost_variance_pct,
        cast(
            case
                when expected_monthly_requests > 0
                    then 100.0 * (actual_request_count - expected_monthly_requests) / expected_monthly_requests
            end as {{ ai_finops.type_double() }}
        ) as request_count_variance_pct,
        actual_contracted_cost
        > expected_monthly_contracted_cost * {{ var('ai_finops__estimate_over_threshold') }} as is_over_estimate,
        last_usage_date >= cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'estimate_month')) }} as date)
            as is_month_complete,
        cast(actual_usage_days as {{ dbt.type_bigint() }}) as actual_usage_days,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from compared

)

select * from final
