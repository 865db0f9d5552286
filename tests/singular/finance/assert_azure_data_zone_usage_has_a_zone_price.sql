{{ config(severity='warn') }}
-- Azure Data Zone usage priced at the model's global price: its region is not in
-- ai_finops__azure_data_zones (a region outside the US and the EU, or a new one to add), or the
-- price book has no `<zone>/<model>` point for the model (LiteLLM lists none). Data Zone deployments
-- cost more than global ones, so this understates list cost; named per region x model.
select
    region,
    price_location,
    model_id,
    sum(uncached_input_tokens + cache_read_tokens + output_tokens) as tokens
from {{ ref('int_usage_priced') }}
where provider = 'azure_openai'
    and deployment_type = 'data_zone'
    and pricing_status = 'priced'
    and price_region is null
group by 1, 2, 3
