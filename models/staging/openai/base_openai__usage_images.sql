{{ config(enabled=var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage')) }}

{{ ai_finops.openai_usage_base(
    'usage_images',
    quantity='images',
    counts=['num_model_requests'],
    dimensions=['source', 'size'],
    enums={'source': ['image.generation', 'image.edit', 'image.variation']}
) }}
