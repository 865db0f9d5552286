{#- LiteLLM's custom_llm_provider -> our provider id (the one the price book and seeds use). -#}
{% macro provider_from_litellm(column) -%}
    case {{ column }}
        when 'openai' then 'openai'
        when 'text-completion-openai' then 'openai'
        when 'anthropic' then 'anthropic'
        when 'bedrock' then 'aws_bedrock'
        when 'bedrock_converse' then 'aws_bedrock'
        when 'azure' then 'azure_openai'
        when 'azure_ai' then 'azure_openai'
        when 'vertex_ai' then 'google_vertex'
        when 'vertex_ai_beta' then 'google_vertex'
        when 'gemini' then 'google_ai_studio'
        else {{ column }}
    end
{%- endmacro %}
