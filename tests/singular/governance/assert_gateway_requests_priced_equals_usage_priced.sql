{#- Request-level pricing for governance must equal the usage pricing of the same gateway rows, per day. -#}
with requests as (

    select
        usage_date,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        count(*) as request_count
    from {{ ref('int_gateway_requests_priced') }}
    group by 1

),

usage as (

    select
        usage_date,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        sum(request_count) as request_count
    from {{ ref('int_usage_attributed') }}
    where source_system = 'litellm_gateway'
    group by 1

)

select
    requests.list_cost as request_list_cost,
    usage.list_cost as usage_list_cost,
    requests.request_count as request_requests,
    usage.request_count as usage_requests,
    coalesce(requests.usage_date, usage.usage_date) as usage_date
from requests
full outer join usage
    on requests.usage_date = usage.usage_date
where
    abs(coalesce(requests.list_cost, 0) - coalesce(usage.list_cost, 0)) > 0.000001
    or abs(coalesce(requests.contracted_cost, 0) - coalesce(usage.contracted_cost, 0)) > 0.000001
    or coalesce(requests.request_count, 0) <> coalesce(usage.request_count, 0)
