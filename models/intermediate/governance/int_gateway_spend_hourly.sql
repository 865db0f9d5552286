{#-
    Hourly gateway spend and request rate per scope (workflow, agent, gateway key), on a dense
    hour grid from the scope's first request to the last hour with data (an hour with no traffic
    is a zero, which the seasonal baseline needs). Also the busiest session's share of the hour's
    requests: a runaway loop is many near-identical calls from one session.
    Incremental: the days from the first day holding a copy of a request loaded after the newest
    _loaded_at here (gateway_changed_days), or from the newest built day if earlier (its hours after
    the previous last hour join the grid), to the last are rebuilt whole (delete+insert by
    usage_date). A scope's first hour and owner come from all of its history; the owner shown on
    zero-traffic hours before the rebuilt days is the one it had when they were built (a
    --full-refresh restates it). Every day is rebuilt when int_gateway_requests_hourly's
    reference_fingerprint (the reference data the requests were priced and owned with) differs from
    the one stored here.
-#}
-- depends_on: {{ ref('base_litellm__spend_logs') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{%- set reference_fingerprint = '(select max(reference_fingerprint) from '
    ~ ref('int_gateway_requests_hourly') ~ ')' -%}
{%- set rebuild_from = none -%}
{%- set changed_days = ai_finops.gateway_rollup_changed_days(reference_fingerprint) -%}
{%- if changed_days is not none -%}
    {%- set newest_day = run_query(
        'select cast(max(usage_date) as ' ~ dbt.type_string() ~ ') from ' ~ this
    ).columns[0].values()[0] -%}
    {%- if newest_day is not none -%}
        {%- set first_day = ([newest_day | string] + changed_days) | min -%}
        {%- set rebuild_from = "cast('" ~ first_day ~ "' as date)" -%}
    {%- endif -%}
{%- endif %}

with all_requests as (

    -- already one row per hour x workflow x agent x key x team x session (aggregated once, incrementally)
    select * from {{ ref('int_gateway_requests_hourly') }}

),

requests as (

    -- the hours rebuilt: all of them, or on an incremental run the changed days on
    select * from all_requests
    where {{ '1 = 1' if rebuild_from is none else 'usage_date >= ' ~ rebuild_from }}

),

scoped as (

    select
        request_hour_at,
        'workflow' as scope_type,
        workflow_id as scope_id,
        team_id,
        session_id,
        request_count,
        input_tokens,
        output_tokens,
        list_cost,
        contracted_cost,
        _loaded_at
    from requests

    union all

    select
        request_hour_at,
        'agent' as scope_type,
        agent_id as scope_id,
        team_id,
        session_id,
        request_count,
        input_tokens,
        output_tokens,
        list_cost,
        contracted_cost,
        _loaded_at
    from requests
    where agent_id <> 'none'

    union all

    select
        request_hour_at,
        'api_key' as scope_type,
        gateway_key_id as scope_id,
        team_id,
        session_id,
        request_count,
        input_tokens,
        output_tokens,
        list_cost,
        contracted_cost,
        _loaded_at
    from requests

),

per_session as (

    select
        request_hour_at,
        scope_type,
        scope_id,
        session_id,
        cast(sum(request_count) as {{ dbt.type_bigint() }}) as session_request_count
    from scoped
    where session_id is not null
    group by 1, 2, 3, 4

),

top_session as (

    select
        request_hour_at,
        scope_type,
        scope_id,
        max(session_request_count) as top_session_request_count
    from per_session
    group by 1, 2, 3

),

hourly as (

    select
        request_hour_at,
        scope_type,
        scope_id,
        max(team_id) as owner_team_id,
        cast(sum(request_count) as {{ dbt.type_bigint() }}) as request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        coalesce(sum(list_cost), 0) as list_cost,
        coalesce(sum(contracted_cost), 0) as contracted_cost,
        max(_loaded_at) as _loaded_at
    from scoped
    group by 1, 2, 3

),

scope_history as (

    -- every scope's first hour and owning teams over all of its history (the grid starts there)
    select
        'workflow' as scope_type,
        workflow_id as scope_id,
        min(request_hour_at) as first_hour_at,
        max(team_id) as owner_team_id
    from all_requests
    group by 1, 2

    union all

    select
        'agent' as scope_type,
        agent_id as scope_id,
        min(request_hour_at) as first_hour_at,
        max(team_id) as owner_team_id
    from all_requests
    where agent_id <> 'none'
    group by 1, 2

    union all

    select
        'api_key' as scope_type,
        gateway_key_id as scope_id,
        min(request_hour_at) as first_hour_at,
        max(team_id) as owner_team_id
    from all_requests
    group by 1, 2

),

scopes as (

    select
        scope_type,
        scope_id,
        first_hour_at,
        -- a scope used by several teams (a shared key) is shown under one of them (the last by id)
        owner_team_id
    from scope_history

),

bounds as (

    select
        min(request_hour_at) as first_hour_at,
        max(request_hour_at) as last_hour_at,
        -- the first hour rebuilt: all of them, or on an incremental run the changed days on
        {% if rebuild_from is none -%}
            min(request_hour_at)
        {%- else -%}
            cast({{ rebuild_from }} as {{ dbt.type_timestamp() }})
        {%- endif %} as rebuilt_from_hour_at
    from all_requests

),

numbers as (

    {{ dbt.generate_series(65536) }}

),

hours as (

    select
        cast(
            {{ dbt.dateadd('hour', 'numbers.generated_number - 1', 'bounds.first_hour_at') }}
            as {{ dbt.type_timestamp() }}
        ) as hour_at
    from numbers
    cross join bounds

),

grid as (

    select
        hours.hour_at,
        scopes.scope_type,
        scopes.scope_id,
        scopes.owner_team_id
    from scopes
    inner join hours
        on scopes.first_hour_at <= hours.hour_at
    cross join bounds
    where hours.hour_at between bounds.rebuilt_from_hour_at and bounds.last_hour_at

),

reference_state as (

    select {{ reference_fingerprint }} as reference_fingerprint

),

final as (

    select
        grid.hour_at,
        cast(grid.hour_at as date) as usage_date,
        grid.scope_type,
        grid.scope_id,
        reference_state.reference_fingerprint,
        -- the newest load time of the hour's requests (null on a zero hour): the next incremental run
        -- rebuilds the days changed since
        hourly._loaded_at,
        coalesce(hourly.owner_team_id, grid.owner_team_id) as owner_team_id,
        coalesce(hourly.request_count, 0) as request_count,
        coalesce(hourly.input_tokens, 0) as input_tokens,
        coalesce(hourly.output_tokens, 0) as output_tokens,
        coalesce(hourly.list_cost, 0) as list_cost,
        coalesce(hourly.contracted_cost, 0) as contracted_cost,
        coalesce(top_session.top_session_request_count, 0) as top_session_request_count
    from grid
    cross join reference_state
    left join hourly
        on grid.hour_at = hourly.request_hour_at
            and grid.scope_type = hourly.scope_type
            and grid.scope_id = hourly.scope_id
    left join top_session
        on grid.hour_at = top_session.request_hour_at
            and grid.scope_type = top_session.scope_type
            and grid.scope_id = top_session.scope_id

)

select * from final
