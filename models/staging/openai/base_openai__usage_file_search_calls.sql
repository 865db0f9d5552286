{{ config(enabled=var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage')) }}

{{ ai_finops.openai_usage_base(
    'usage_file_search_calls',
    quantity='num_requests',
    dimensions=['vector_store_id'],
    identity=['project_id', 'api_key_id', 'user_id']
) }}
