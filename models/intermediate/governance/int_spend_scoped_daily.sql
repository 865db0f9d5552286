{#-
    Daily spend per governance scope: every attributed usage row counted once under each scope type
    (business unit, cost center, team, workflow, agent, API key). Within one scope type the rows
    sum to total spend; budgets and forecasts read this instead of re-aggregating the usage.
    The API-key scope is the gateway key alias (else its hash) for gateway traffic and the
    provider key id otherwise; usage with no key at all is scoped `no_key`.
-#}
with attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

keyed as (

    select
        usage_date,
        business_unit_id,
        cost_center_id,
        team_id,
        workflow_id,
        agent_id,
        request_count,
        list_cost,
        contracted_cost,
        coalesce(gateway_key_alias, gateway_key_hash, provider_key_id, 'no_key') as api_key_id
    from attributed

),

unpivoted as (

    select
        usage_date,
        'business_unit' as scope_type,
        business_unit_id as scope_id,
        cast(null as {{ dbt.type_string() }}) as owner_team_id,
        request_count,
        list_cost,
        contracted_cost
    from keyed

    union all

    select
        usage_date,
        'cost_center' as scope_type,
        cost_center_id as scope_id,
        cast(null as {{ dbt.type_string() }}) as owner_team_id,
        request_count,
        list_cost,
        contracted_cost
    from keyed

    union all

    select
        usage_date,
        'team' as scope_type,
        team_id as scope_id,
        team_id as owner_team_id,
        request_count,
        list_cost,
        contracted_cost
    from keyed

    union all

    select
        usage_date,
        'workflow' as scope_type,
        workflow_id as scope_id,
        team_id as owner_team_id,
        request_count,
        list_cost,
        contracted_cost
    from keyed

    union all

    select
        usage_date,
        'agent' as scope_type,
        agent_id as scope_id,
        team_id as owner_team_id,
        request_count,
        list_cost,
        contracted_cost
    from keyed

    union all

    select
        usage_date,
        'api_key' as scope_type,
        api_key_id as scope_id,
        team_id as owner_team_id,
        request_count,
        list_cost,
        contracted_cost
    from keyed

),

final as (

    select
        usage_date,
        scope_type,
        scope_id,
        -- a scope shared by several teams (a pooled key) is shown under one of them (the last by id)
        max(owner_team_id) as owner_team_id,
        sum(request_count) as request_count,
        coalesce(sum(list_cost), 0) as list_cost,
        coalesce(sum(contracted_cost), 0) as contracted_cost
    from unpivoted
    group by 1, 2, 3

)

select * from final
