{{ config(enabled=var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage')) }}

{{ ai_finops.openai_usage_base(
    'usage_web_search_calls',
    quantity='num_requests',
    counts=['num_model_requests'],
    dimensions=['context_level'],
    enums={'context_level': ['low', 'medium', 'high']}
) }}
