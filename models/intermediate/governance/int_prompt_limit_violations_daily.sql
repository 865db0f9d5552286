{#-
    Gateway requests whose prompt is over a max_input_tokens policy (seeds/governance/
    ai_finops__policies.csv), aggregated per policy x day x team x workflow x provider x model x key:
    the per-request rule of fct_policy_violations, the only one that reads request-level data.
    Incremental like int_gateway_requests_hourly: the days holding a copy of a request loaded after
    the newest _loaded_at here (gateway_changed_days) are rebuilt whole (delete+insert by usage_date);
    every day when the policies or the requests' reference_fingerprint (the reference data they were
    priced and owned with) differ from the fingerprint stored here, or when no violation is stored.
    _loaded_at is the newest load time of ALL the requests when the row was built (most requests
    break no policy: the violating ones' own load times would lag and widen the next lookup).
-#}
-- depends_on: {{ ref('base_litellm__spend_logs') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{%- set reference_fingerprint = dbt.hash(dbt.concat([
    ai_finops.reference_fingerprint([ai_finops.reference_table('policies')]),
    "'|'",
    "coalesce((select max(reference_fingerprint) from " ~ ref('int_gateway_requests_priced') ~ "), '')",
])) -%}
{%- set days_filter = ai_finops.gateway_rollup_days_filter(reference_fingerprint) %}

with policies as (

    select * from {{ ai_finops.reference_table('policies') }}
    where policy_type = 'max_input_tokens'

),

requests as (

    -- only requests above the lowest prompt-size limit can break one (saves joining every request)
    select * from {{ ref('int_gateway_requests_priced') }}
    where
        {{ '1 = 1' if days_filter is none else days_filter }}
        and input_tokens > (
            select min({{ ai_finops.try_cast('limits.rule_value', dbt.type_bigint()) }})
            from policies as limits
        )

),

reference_state as (

    select
        {{ reference_fingerprint }} as reference_fingerprint,
        (
            select max(all_requests._loaded_at)
            from {{ ref('int_gateway_requests_priced') }} as all_requests
        ) as _loaded_at

),

violations as (

    select
        policies.policy_id,
        requests.usage_date,
        requests.team_id,
        requests.workflow_id,
        requests.provider,
        requests.model_id,
        requests.gateway_key_id as api_key_id,
        requests.input_tokens,
        requests.output_tokens,
        requests.list_cost,
        requests.contracted_cost,
        reference_state.reference_fingerprint,
        reference_state._loaded_at
    from policies
    cross join reference_state
    inner join requests
        on policies.valid_from <= requests.usage_date
            and requests.usage_date < coalesce(policies.valid_to, cast('9999-12-31' as date))
            and (
                policies.scope_type = 'global'
                or (policies.scope_type = 'team' and policies.scope_id = requests.team_id)
                or (policies.scope_type = 'workflow' and policies.scope_id = requests.workflow_id)
            )
    where requests.input_tokens > {{ ai_finops.try_cast('policies.rule_value', dbt.type_bigint()) }}

),

final as (

    select
        policy_id,
        usage_date,
        team_id,
        workflow_id,
        provider,
        model_id,
        api_key_id,
        reference_fingerprint,
        cast(count(*) as {{ dbt.type_bigint() }}) as request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        -- the newest load time of all requests at build time (the next run rebuilds the days changed since)
        max(_loaded_at) as _loaded_at
    from violations
    group by 1, 2, 3, 4, 5, 6, 7, 8

)

select * from final
