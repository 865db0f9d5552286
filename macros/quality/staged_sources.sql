{#- Every staged raw table: (using var, source name, table name, base model, staging model). -#}
{% macro staged_sources() -%}
    {%- set all_sources = [
        ('openai', 'openai', 'usage_completions', 'base_openai__usage_completions', 'stg_openai__usage_completions'),
        ('openai', 'openai', 'usage_embeddings', 'base_openai__usage_embeddings', 'stg_openai__usage_embeddings'),
        ('openai', 'openai', 'costs', 'base_openai__costs', 'stg_openai__costs'),
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
    {{ return(flags) }}
{%- endmacro %}
