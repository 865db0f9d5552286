{#- Every staged raw table: (using var, source name, table name, base model, staging model). -#}
{% macro staged_sources() -%}
    {%- set all_sources = [
        ('openai', 'openai', 'usage_completions', 'base_openai__usage_completions', 'stg_openai__usage_completions'),
        ('openai', 'openai', 'usage_embeddings', 'base_openai__usage_embeddings', 'stg_openai__usage_embeddings'),
        ('openai', 'openai', 'costs', 'base_openai__costs', 'stg_openai__costs'),
        ('openai_other_usage', 'openai', 'usage_images', 'base_openai__usage_images', 'stg_openai__usage_images'),
        ('openai_other_usage', 'openai', 'usage_audio_speeches', 'base_openai__usage_audio_speeches', 'stg_openai__usage_audio_speeches'),
        ('openai_other_usage', 'openai', 'usage_audio_transcriptions', 'base_openai__usage_audio_transcriptions', 'stg_openai__usage_audio_transcriptions'),
        ('openai_other_usage', 'openai', 'usage_moderations', 'base_openai__usage_moderations', 'stg_openai__usage_moderations'),
        ('openai_other_usage', 'openai', 'usage_vector_stores', 'base_openai__usage_vector_stores', 'stg_openai__usage_vector_stores'),
        ('openai_other_usage', 'openai', 'usage_code_interpreter_sessions', 'base_openai__usage_code_interpreter_sessions', 'stg_openai__usage_code_interpreter_sessions'),
        ('openai_other_usage', 'openai', 'usage_file_search_calls', 'base_openai__usage_file_search_calls', 'stg_openai__usage_file_search_calls'),
        ('openai_other_usage', 'openai', 'usage_web_search_calls', 'base_openai__usage_web_search_calls', 'stg_openai__usage_web_search_calls'),
        ('litellm', 'litellm', 'spend_logs', 'base_litellm__spend_logs', 'stg_litellm__spend_logs'),
        ('anthropic', 'anthropic', 'usage_report_messages', 'base_anthropic__usage_report_messages', 'stg_anthropic__usage_report_messages'),
        ('anthropic', 'anthropic', 'cost_report', 'base_anthropic__cost_report', 'stg_anthropic__cost_report'),
        ('aws_bedrock', 'aws_bedrock', 'cur', 'base_aws_bedrock__cur', 'stg_aws_bedrock__cur'),
        ('aws_bedrock', 'aws_bedrock', 'invocation_logs', 'base_aws_bedrock__invocation_logs', 'stg_aws_bedrock__invocation_logs'),
        ('azure', 'azure', 'cost_details', 'base_azure__cost_details', 'stg_azure__cost_details'),
        ('gcp', 'gcp', 'billing_export', 'base_gcp__billing_export', 'stg_gcp__billing_export'),
        ('gcp', 'gcp', 'gemini_usage_metadata', 'base_gcp__gemini_usage_metadata', 'stg_gcp__gemini_usage_metadata'),
        ('otel', 'otel', 'genai_spans', 'base_otel__genai_spans', 'stg_otel__genai_spans'),
        ('outcomes', 'outcomes', 'business_outcomes', 'base_outcomes__business_outcomes', 'stg_outcomes__business_outcomes'),
    ] -%}
    {{ return(all_sources | selectattr(0, 'in', enabled_source_flags()) | list) }}
{%- endmacro %}

{% macro enabled_source_flags() -%}
    {%- set flags = [] -%}
    {%- for name in ['openai', 'litellm', 'anthropic', 'aws_bedrock', 'azure', 'gcp', 'otel', 'outcomes'] -%}
        {%- if var('ai_finops__using_' ~ name) -%}{%- do flags.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {#- OpenAI's non-token usage endpoints have their own switch, inside the OpenAI one -#}
    {%- if var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage') -%}
        {%- do flags.append('openai_other_usage') -%}
    {%- endif -%}
    {{ return(flags) }}
{%- endmacro %}
