{#-
    Usage that breaks a policy (seeds/governance/ai_finops__policies.csv), with its owner and dollars.
    Aggregated usage (all sources) is checked for models, providers, owners and batch-eligible
    work run interactively; prompt size is a per-request rule, checked on gateway requests (the
    only source with request-level prompts) in int_prompt_limit_violations_daily, which is
    incremental. Costs are contracted cost.
-#}
with policies as (

    select * from {{ ai_finops.reference_table('policies') }}

),

usage as (

    select
        *,
        coalesce(gateway_key_alias, gateway_key_hash, provider_key_id, 'no_key') as api_key_id
    from {{ ref('int_usage_attributed') }}

),

prompt_limit_violations as (

    -- the per-request rule, aggregated (incrementally) in the intermediate layer
    select * from {{ ref('int_prompt_limit_violations_daily') }}

),

usage_in_scope as (

    select
        usage.*,
        policies.policy_id,
        policies.policy_type,
        policies.rule_value,
        policies.threshold_cost
    from policies
    inner join usage
        on policies.valid_from <= usage.usage_date
            and usage.usage_date < coalesce(policies.valid_to, cast('9999-12-31' as date))
            and (
                policies.scope_type = 'global'
                or (policies.scope_type = 'team' and policies.scope_id = usage.team_id)
                or (policies.scope_type = 'workflow' and policies.scope_id = usage.workflow_id)
            )
    where policies.policy_type <> 'max_input_tokens'

),

usage_violations as (

    select
        policy_id,
        usage_date,
        team_id,
        workflow_id,
        provider,
        model_id,
        api_key_id,
        request_count,
        uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens as input_tokens,
        output_tokens,
        list_cost,
        contracted_cost
    from usage_in_scope
    where
        (policy_type = 'model_not_allowed' and model_id like rule_value)
        or (policy_type = 'required_owner' and attribution_method = 'unallocated')
        or (
            policy_type = 'provider_not_approved'
            and {{ dbt.concat(["'|'", "rule_value", "'|'"]) }} not like {{ dbt.concat(["'%|'", "provider", "'|%'"]) }}
        )

),

interactive_daily as (

    select
        policy_id,
        usage_date,
        workflow_id,
        max(threshold_cost) as threshold_cost,
        sum(contracted_cost) as interactive_cost
    from usage_in_scope
    -- the batch API takes token requests: usage priced per unit (images, audio, tools) is not batch-eligible
    where policy_type = 'batch_eligible_run_interactively' and service_tier = 'standard' and usage_kind = 'tokens'
    group by 1, 2, 3

),

batch_violations as (

    select
        usage_in_scope.policy_id,
        usage_in_scope.usage_date,
        usage_in_scope.team_id,
        usage_in_scope.workflow_id,
        usage_in_scope.provider,
        usage_in_scope.model_id,
        usage_in_scope.api_key_id,
        usage_in_scope.request_count,
        usage_in_scope.uncached_input_tokens + usage_in_scope.cache_read_tokens
        + usage_in_scope.cache_write_5m_tokens + usage_in_scope.cache_write_1h_tokens as input_tokens,
        usage_in_scope.output_tokens,
        usage_in_scope.list_cost,
        usage_in_scope.contracted_cost
    from usage_in_scope
    inner join interactive_daily
        on usage_in_scope.policy_id = interactive_daily.policy_id
            and usage_in_scope.usage_date = interactive_daily.usage_date
            and usage_in_scope.workflow_id = interactive_daily.workflow_id
    where
        usage_in_scope.policy_type = 'batch_eligible_run_interactively'
        and usage_in_scope.service_tier = 'standard'
        and usage_in_scope.usage_kind = 'tokens'
        and interactive_daily.interactive_cost > interactive_daily.threshold_cost

),

request_violations as (

    select
        policy_id,
        usage_date,
        team_id,
        workflow_id,
        provider,
        model_id,
        api_key_id,
        request_count,
        input_tokens,
        output_tokens,
        list_cost,
        contracted_cost
    from prompt_limit_violations

),

unioned as (

    select * from usage_violations
    union all
    select * from batch_violations
    union all
    select * from request_violations

),

aggregated as (

    select
        policy_id,
        usage_date,
        team_id,
        workflow_id,
        provider,
        model_id,
        api_key_id,
        sum(request_count) as request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost
    from unioned
    group by 1, 2, 3, 4, 5, 6, 7

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "aggregated.policy_id", "'|'", "cast(aggregated.usage_date as " ~ dbt.type_string() ~ ")", "'|'",
            "aggregated.team_id", "'|'", "aggregated.workflow_id", "'|'", "aggregated.provider", "'|'",
            "aggregated.model_id", "'|'", "aggregated.api_key_id"
        ])) }} as violation_id,
        aggregated.policy_id,
        policies.policy_name,
        policies.policy_type,
        policies.severity,
        aggregated.usage_date,
        aggregated.team_id,
        aggregated.workflow_id,
        aggregated.provider,
        aggregated.model_id,
        aggregated.api_key_id,
        cast(aggregated.request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(aggregated.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(aggregated.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(aggregated.list_cost as {{ ai_finops.type_double() }}) as list_cost,
        cast(aggregated.contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from aggregated
    inner join policies
        on aggregated.policy_id = policies.policy_id

)

select * from final
