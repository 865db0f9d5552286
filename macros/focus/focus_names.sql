{#- FOCUS display names for our provider ids and model publishers (plain CASE: portable as is). -#}
{% macro focus_provider_name(provider) -%}
    case {{ provider }}
        when 'openai' then 'OpenAI'
        when 'anthropic' then 'Anthropic'
        when 'aws_bedrock' then 'Amazon Web Services'
        when 'azure_openai' then 'Microsoft'
        when 'google_vertex' then 'Google Cloud'
        when 'google_ai_studio' then 'Google'
        when 'litellm' then 'LiteLLM (self-hosted gateway)'
        else {{ provider }}
    end
{%- endmacro %}

{% macro focus_service_name(provider) -%}
    case {{ provider }}
        when 'openai' then 'OpenAI API'
        when 'anthropic' then 'Anthropic API'
        when 'aws_bedrock' then 'Amazon Bedrock'
        when 'azure_openai' then 'Azure OpenAI'
        when 'google_vertex' then 'Vertex AI'
        when 'google_ai_studio' then 'Gemini API'
        when 'litellm' then 'LLM gateway'
        else {{ provider }}
    end
{%- endmacro %}

{% macro focus_publisher_name(provider, model_id) -%}
    case
        when {{ model_id }} like 'claude%' or {{ model_id }} like '%anthropic%' then 'Anthropic'
        when {{ model_id }} like 'gemini%' or {{ model_id }} like 'text-embedding-00%' then 'Google'
        when {{ model_id }} like 'gpt%' or {{ model_id }} like 'o1%' or {{ model_id }} like 'o3%'
            or {{ model_id }} like 'o4%' or {{ model_id }} like 'text-embedding%' or {{ model_id }} like 'ft:gpt%'
            then 'OpenAI'
        when {{ model_id }} like '%llama%' then 'Meta'
        when {{ model_id }} like '%mistral%' then 'Mistral AI'
        when {{ model_id }} like '%titan%' or {{ model_id }} like '%nova%' then 'Amazon'
        else {{ ai_finops.focus_provider_name(provider) }}
    end
{%- endmacro %}
