{#-
    What each owner should change and what it is worth. Grain: one row per recommendation (type x
    scope). Savings are estimated per month at list prices from the trailing window
    (ai_finops__optimization_lookback_days, scaled to 30 days). Savings never double count:
    recommendations touching the same tokens (one workload = team x workflow x provider x model)
    are ranked by standalone savings and each later one is credited only with what it saves on
    the cost the earlier ones leave (incremental_monthly_savings); a commitment on a model is
    credited with its savings minus everything the workload recommendations already save on that
    model. Sum incremental_monthly_savings for a total.
-#}
{%- set lookback_days = var('ai_finops__optimization_lookback_days') -%}
{%- set savings_types = "'model_downgrade', 'prompt_caching', 'batch_api', 'oversized_context', 'reasoning_effort'" -%}

with candidates as (

    select * from {{ ref('int_optimization_candidates_unioned') }}

),

team_names as (

    select
        team_id,
        max(team_name) as team_name
    from {{ ai_finops.reference_table('teams') }}
    group by 1

),

shown as (

    select
        *,
        window_list_savings * 30.0 / {{ lookback_days }} as estimated_monthly_savings,
        workload_list_cost * 30.0 / {{ lookback_days }} as current_monthly_list_cost,
        case
            when recommendation_type in ({{ savings_types }})
                then team_id || '|' || workflow_id || '|' || provider || '|' || model_id
            when recommendation_type = 'commitment_break_even' then 'model|' || provider || '|' || model_id
            else recommendation_id
        end as overlap_group
    from candidates
    where recommendation_type not in ({{ savings_types }})
        or window_list_savings * 30.0 / {{ lookback_days }} >= {{ var('ai_finops__optimization_min_monthly_savings') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by overlap_group order by estimated_monthly_savings desc, recommendation_type asc
        ) as rank_in_overlap_group,
        count(*) over (partition by overlap_group) as recommendations_in_overlap_group,
        -- share of the workload's cost this recommendation saves on its own (capped below 1 for ln)
        least(estimated_monthly_savings / nullif(current_monthly_list_cost, 0), 0.999999) as savings_fraction
    from shown

),

sequenced as (

    select
        *,
        -- cost left after the higher-ranked recommendations of the group: product of (1 - fraction)
        exp(coalesce(sum(ln(1 - savings_fraction)) over (
            partition by overlap_group order by rank_in_overlap_group
            rows between unbounded preceding and 1 preceding
        ), 0)) as remaining_cost_share
    from ranked

),

workload_incremental as (

    select
        *,
        case
            when recommendation_type in ({{ savings_types }}) then estimated_monthly_savings * remaining_cost_share
            when recommendation_type = 'commitment_break_even' then null
            else 0
        end as workload_incremental_savings
    from sequenced

),

model_workload_savings as (

    select
        provider,
        model_id,
        sum(workload_incremental_savings) as monthly_savings_on_model
    from workload_incremental
    where recommendation_type in ({{ savings_types }})
    group by 1, 2

),

final as (

    select
        workload_incremental.recommendation_id,
        workload_incremental.recommendation_type,
        workload_incremental.scope_type,
        workload_incremental.scope_id,
        workload_incremental.team_id as owner_team_id,
        coalesce(team_names.team_name, workload_incremental.team_id) as owner_team_name,
        workload_incremental.workflow_id,
        workload_incremental.provider,
        workload_incremental.model_id,
        workload_incremental.recommended_change,
        workload_incremental.window_start,
        workload_incremental.window_end,
        workload_incremental.request_count,
        workload_incremental.avg_input_tokens_per_request,
        workload_incremental.p95_input_tokens,
        workload_incremental.avg_output_tokens_per_request,
        workload_incremental.cache_read_share,
        workload_incremental.reasoning_share,
        workload_incremental.batch_share,
        workload_incremental.hourly_spread,
        workload_incremental.daily_token_cv,
        workload_incremental.break_even_tokens_per_month,
        workload_incremental.evidence,
        cast(workload_incremental.current_monthly_list_cost as {{ ai_finops.type_double() }})
            as current_monthly_list_cost,
        cast(workload_incremental.estimated_monthly_savings as {{ ai_finops.type_double() }})
            as estimated_monthly_savings,
        workload_incremental.savings_assumption,
        workload_incremental.overlap_group,
        cast(workload_incremental.rank_in_overlap_group as {{ dbt.type_bigint() }}) as rank_in_overlap_group,
        cast(workload_incremental.recommendations_in_overlap_group as {{ dbt.type_bigint() }})
            as recommendations_in_overlap_group,
        cast(
            case
                when workload_incremental.recommendation_type = 'commitment_break_even'
                    then greatest(
                            workload_incremental.estimated_monthly_savings
                            - coalesce(model_workload_savings.monthly_savings_on_model, 0),
                            0
                        )
                else workload_incremental.workload_incremental_savings
            end as {{ ai_finops.type_double() }}
        ) as incremental_monthly_savings,
        workload_incremental.confidence,
        workload_incremental.recommendation_status,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from workload_incremental
    left join model_workload_savings
        on workload_incremental.recommendation_type = 'commitment_break_even'
            and workload_incremental.provider = model_workload_savings.provider
            and workload_incremental.model_id = model_workload_savings.model_id
    left join team_names
        on workload_incremental.team_id = team_names.team_id

)

select * from final
