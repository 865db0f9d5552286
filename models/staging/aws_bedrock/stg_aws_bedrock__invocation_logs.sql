{{ config(enabled=var('ai_finops__using_aws_bedrock')) }}

{#-
    Request-level Bedrock calls. Not counted as usage: the CUR is the system of record for the same
    calls. Kept for request-level analysis and for the caller's requestMetadata tags.
-#}
with base as (

    select * from {{ ref('base_aws_bedrock__invocation_logs') }}

),

final as (

    select
        request_id,
        request_started_at,
        cast(request_started_at as date) as usage_date,
        account_id,
        identity_arn,
        region,
        inference_region,
        operation,
        reported_model,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        output_tokens,
        {{ ai_finops.json_extract_scalar('request_metadata', 'team') }} as metadata_team_id,
        {{ ai_finops.json_extract_scalar('request_metadata', 'workflow') }} as metadata_workflow_id,
        request_metadata,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
