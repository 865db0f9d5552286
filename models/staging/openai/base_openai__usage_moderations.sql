{{ config(enabled=var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage')) }}

{{ ai_finops.openai_usage_base(
    'usage_moderations',
    quantity='input_tokens',
    counts=['num_model_requests']
) }}
