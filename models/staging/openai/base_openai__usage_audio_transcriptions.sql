{{ config(enabled=var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage')) }}

{{ ai_finops.openai_usage_base(
    'usage_audio_transcriptions',
    quantity='seconds',
    counts=['num_model_requests']
) }}
