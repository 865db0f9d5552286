{{ config(enabled=var('ai_finops__using_aws_bedrock')) }}

{#-
    CUR line items. Two usage-type families name token classes (provider-formats §3.1):
    first-party `USE1-Claude4.6Sonnet-input-tokens[-priority|-flex][-cross-region-global]` and
    Marketplace `USE1-MP:USE1_InputTokenCount[_Global]-Units`. Usage amounts are in pricing units of
    var ai_finops__bedrock_cur_tokens_per_unit tokens (1,000,000 per AWS's published rates).
-#}
{%- set usage_type = 'line_item_usage_type' -%}

{#- The model is what follows the region prefix up to the first token-class word (no colon: Marketplace). -#}
{%- set after_region = ai_finops.regexp_extract(usage_type, '^[A-Z0-9]+-(.+)$') -%}
{%- set first_party_model = ai_finops.regexp_text_before(
    after_region, '-(mantle-)?(input|output|cache-read-input|cache-write-input)-token'
) -%}

with source as (

    select * from {{ source('aws_bedrock', 'cur') }}

),

renamed as (

    select
        identity_line_item_id,
        {{ ai_finops.iso8601_to_timestamp('line_item_usage_start_date') }} as usage_start_at,
        {{ ai_finops.iso8601_to_timestamp('bill_billing_period_start_date') }} as billing_period_start_at,
        bill_payer_account_id as payer_account_id,
        line_item_usage_account_id as usage_account_id,
        line_item_line_item_type as line_item_type,
        line_item_product_code as product_code,
        {{ usage_type }} as usage_type,
        line_item_operation as operation,
        line_item_resource_id as resource_id,
        {{ ai_finops.safe_number('line_item_usage_amount', ai_finops.type_double()) }} as usage_amount,
        pricing_unit,
        {{ ai_finops.safe_number('line_item_unblended_cost', ai_finops.type_double()) }} as unblended_cost,
        {{ ai_finops.safe_number('line_item_net_unblended_cost', ai_finops.type_double()) }} as net_unblended_cost,
        coalesce(line_item_currency_code, 'USD') as currency,
        product_region_code as region,
        line_item_iam_principal as iam_principal,
        -- an assumed-role session bills to its role: owners are kept per role ARN
        case
            when line_item_iam_principal like 'arn:aws:sts::%:assumed-role/%'
                then 'arn:aws:iam::'
                    || {{ ai_finops.regexp_extract('line_item_iam_principal', '^arn:aws:sts::([0-9]+):') }}
                    || ':role/'
                    || {{ ai_finops.regexp_extract('line_item_iam_principal', ':assumed-role/([^/]+)') }}
            else line_item_iam_principal
        end as iam_role_arn,
        resource_tags,
        case
            when lower({{ usage_type }}) like '%cache-read%' or {{ usage_type }} like '%CacheRead%' then 'cache_read'
            when lower({{ usage_type }}) like '%cache-write%' or {{ usage_type }} like '%CacheWrite%' then 'cache_write'
            when lower({{ usage_type }}) like '%input-token%' or {{ usage_type }} like '%InputTokenCount%'
                or lower({{ usage_type }}) like '%input_tokens%' then 'input'
            when lower({{ usage_type }}) like '%output-token%' or {{ usage_type }} like '%OutputTokenCount%'
                or lower({{ usage_type }}) like '%output_tokens%' then 'output'
        end as token_class,
        -- first-party family names the model; Marketplace rows name it only in the resource id
        coalesce(
            case when {{ first_party_model }} not like '%:%' then {{ first_party_model }} end,
            line_item_resource_id
        ) as model_code,
        lower({{ usage_type }}) like '%cross-region-global%' or {{ usage_type }} like '%_Global%' as is_global_profile,
        case
            when lower({{ usage_type }}) like '%-priority%' then 'priority'
            when lower({{ usage_type }}) like '%-flex%' then 'flex'
            when lower({{ usage_type }}) like '%batch%' then 'batch'
            else 'standard'
        end as service_tier,
        {{ ai_finops.first_problem([
            "case when " ~ ai_finops.iso8601_to_timestamp('line_item_usage_start_date') ~ " is null then 'missing or unparsable line_item_usage_start_date' end",
            ai_finops.number_problem('line_item_usage_amount', ai_finops.type_double()),
            "case when line_item_unblended_cost is not null and " ~ ai_finops.safe_number('line_item_unblended_cost', ai_finops.type_double()) ~ " is null then 'non-numeric line_item_unblended_cost' end",
            "case when line_item_line_item_type is null then 'missing line_item_line_item_type' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    -- a CUR re-delivery replaces the whole billing period: keep the newest file's rows for each period
    select
        *,
        {{ ai_finops.is_latest_copy('billing_period_start_at', whole_extraction=true) }} as is_latest_copy
    from renamed

)

select * from ranked
