{#-
    Owner of every usage row, by precedence (first that applies wins):
      1. request tags from the gateway (team, workflow, agent)   -> request_tag
      2. owner of the gateway virtual key                         -> gateway_key_owner
      3. owner of the provider API key / IAM role / deployment    -> api_key_owner
      4. owner of the project / workspace / account / resource    -> container_owner
      5. first matching virtual-tag rule (seeds/allocation)       -> virtual_tag_rule
      6. nobody                                                   -> unallocated
    Ownership and the team -> cost center link are effective-dated: a re-org on date D moves
    spend from D on, never before. A tag naming an unknown team is ignored, not trusted.
-#}
with usage as (

    select * from {{ ref('int_usage_priced') }}

),

owners as (

    select * from {{ ai_finops.reference_table('account_owners') }}

),

teams as (

    select * from {{ ai_finops.reference_table('teams') }}

),

cost_centers as (

    select * from {{ ai_finops.reference_table('cost_centers') }}

),

business_units as (

    select * from {{ ai_finops.reference_table('business_units') }}

),

rules as (

    select * from {{ ai_finops.reference_table('attribution_rules') }}

),

owned as (

    select
        usage.*,
        tag_team.team_id as valid_tag_team_id,
        gateway_key_owner.team_id as gateway_key_team_id,
        gateway_key_owner.workflow_id as gateway_key_workflow_id,
        api_key_owner.team_id as api_key_team_id,
        api_key_owner.workflow_id as api_key_workflow_id,
        container_owner.team_id as container_team_id
    from usage
    left join teams as tag_team
        on usage.tag_team_id = tag_team.team_id
            and usage.usage_date >= tag_team.valid_from
            and usage.usage_date < coalesce(tag_team.valid_to, cast('9999-12-31' as date))
    left join owners as gateway_key_owner
        on gateway_key_owner.provider = 'litellm'
            and gateway_key_owner.account_type = 'gateway_key'
            and usage.gateway_key_hash = gateway_key_owner.account_id
            and usage.usage_date >= gateway_key_owner.valid_from
            and usage.usage_date < coalesce(gateway_key_owner.valid_to, cast('9999-12-31' as date))
    left join owners as api_key_owner
        on usage.provider = api_key_owner.provider
            and api_key_owner.account_type not in (
                'gateway_key', 'project', 'workspace', 'aws_account', 'azure_resource', 'gcp_project'
            )
            and usage.provider_key_id = api_key_owner.account_id
            and usage.usage_date >= api_key_owner.valid_from
            and usage.usage_date < coalesce(api_key_owner.valid_to, cast('9999-12-31' as date))
    left join owners as container_owner
        on usage.provider = container_owner.provider
            and usage.container_type = container_owner.account_type
            and usage.container_id = container_owner.account_id
            and usage.usage_date >= container_owner.valid_from
            and usage.usage_date < coalesce(container_owner.valid_to, cast('9999-12-31' as date))

),

rule_candidates as (

    -- only rows no owner claims are matched against the rules; null pattern = any value
    select
        owned.usage_id,
        rules.rule_id,
        rules.team_id,
        rules.workflow_id,
        row_number() over (partition by owned.usage_id order by rules.rule_order, rules.rule_id) as match_rank
    from owned
    inner join rules
        on (rules.match_provider is null or owned.provider = rules.match_provider)
            and (rules.match_source_system is null or owned.source_system = rules.match_source_system)
            and (rules.match_model_id is null or coalesce(owned.model_id, '') like rules.match_model_id)
            and (rules.match_container_id is null or coalesce(owned.container_id, '') like rules.match_container_id)
            and (
                rules.match_provider_key_id is null
                or coalesce(owned.provider_key_id, '') like rules.match_provider_key_id
            )
            and (
                rules.match_gateway_key_alias is null
                or coalesce(owned.gateway_key_alias, '') like rules.match_gateway_key_alias
            )
            and owned.usage_date >= rules.valid_from
            and owned.usage_date < coalesce(rules.valid_to, cast('9999-12-31' as date))
    inner join teams as rule_team
        on rules.team_id = rule_team.team_id
            and owned.usage_date >= rule_team.valid_from
            and owned.usage_date < coalesce(rule_team.valid_to, cast('9999-12-31' as date))
    where
        owned.valid_tag_team_id is null
        and owned.gateway_key_team_id is null
        and owned.api_key_team_id is null
        and owned.container_team_id is null

),

resolved as (

    select
        owned.*,
        rule_match.rule_id as attribution_rule_id,
        rule_match.workflow_id as rule_workflow_id,
        case
            when owned.valid_tag_team_id is not null then 'request_tag'
            when owned.gateway_key_team_id is not null then 'gateway_key_owner'
            when owned.api_key_team_id is not null then 'api_key_owner'
            when owned.container_team_id is not null then 'container_owner'
            when rule_match.team_id is not null then 'virtual_tag_rule'
            else 'unallocated'
        end as attribution_method,
        coalesce(
            owned.valid_tag_team_id,
            owned.gateway_key_team_id,
            owned.api_key_team_id,
            owned.container_team_id,
            rule_match.team_id
        ) as owner_team_id
    from owned
    left join rule_candidates as rule_match
        on owned.usage_id = rule_match.usage_id
            and rule_match.match_rank = 1

),

final as (

    select
        resolved.*,
        coalesce(resolved.owner_team_id, '{{ var("ai_finops__unallocated_label") }}') as team_id,
        coalesce(teams.team_name, '{{ var("ai_finops__unallocated_label") }}') as team_name,
        coalesce(teams.cost_center_id, '{{ var("ai_finops__unallocated_label") }}') as cost_center_id,
        coalesce(cost_centers.cost_center_name, '{{ var("ai_finops__unallocated_label") }}') as cost_center_name,
        coalesce(cost_centers.business_unit_id, '{{ var("ai_finops__unallocated_label") }}') as business_unit_id,
        coalesce(business_units.business_unit_name, '{{ var("ai_finops__unallocated_label") }}') as business_unit_name,
        coalesce(
            case when resolved.attribution_method = 'request_tag' then resolved.tag_workflow_id end,
            case when resolved.attribution_method = 'gateway_key_owner' then resolved.gateway_key_workflow_id end,
            case when resolved.attribution_method = 'api_key_owner' then resolved.api_key_workflow_id end,
            case when resolved.attribution_method = 'virtual_tag_rule' then resolved.rule_workflow_id end,
            'unassigned'
        ) as workflow_id,
        coalesce(resolved.tag_agent_id, 'none') as agent_id
    from resolved
    left join teams
        on resolved.owner_team_id = teams.team_id
            and resolved.usage_date >= teams.valid_from
            and resolved.usage_date < coalesce(teams.valid_to, cast('9999-12-31' as date))
    left join cost_centers
        on teams.cost_center_id = cost_centers.cost_center_id
    left join business_units
        on cost_centers.business_unit_id = business_units.business_unit_id

)

select * from final
