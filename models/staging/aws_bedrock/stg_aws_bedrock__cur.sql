{{ config(enabled=var('ai_finops__using_aws_bedrock')) }}

with base as (

    select * from {{ ref('base_aws_bedrock__cur') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "_loaded_from_file", "':'", "cast(_file_row_number as " ~ dbt.type_string() ~ ")"
        ])) }} as cur_line_id,
        identity_line_item_id,
        usage_start_at,
        cast(usage_start_at as date) as usage_date,
        cast(billing_period_start_at as date) as billing_period_start_date,
        payer_account_id,
        usage_account_id,
        line_item_type,
        product_code,
        usage_type,
        operation,
        resource_id,
        usage_amount,
        pricing_unit,
        token_class,
        case
            when token_class is not null
                then cast(
                        round(
                            usage_amount * {{ var('ai_finops__bedrock_cur_tokens_per_unit') }}, 0
                        ) as {{ dbt.type_bigint() }}
                    )
        end as token_count,
        model_code,
        -- model_code plus the profile scope: the alias seed maps it to a price-book model id
        -- Marketplace rows name the model by its profile id, which already says global.
        case
            when is_global_profile and model_code not like 'global.%' then model_code || ':global'
            else model_code
        end as reported_model,
        is_global_profile,
        service_tier,
        unblended_cost,
        net_unblended_cost,
        currency,
        region,
        iam_principal,
        iam_role_arn,
        resource_tags,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
