{#-
    The text before the first match of a regular expression (at least one character), or null when
    nothing matches: what `^(.+?)<pattern>` captures. Snowflake's POSIX regular expressions have no
    non-greedy quantifiers, so its variant finds the first match with regexp_instr instead.
-#}
{% macro regexp_text_before(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_text_before', 'ai_finops')(expression, pattern)) }}
{%- endmacro %}

{#- Searching from position 2 keeps at least one character before the match, as `.+?` does.
    The length is cast to integer explicitly (a no-op on Snowflake; the fakesnow emulator types it HUGEINT). -#}
{% macro default__regexp_text_before(expression, pattern) -%}
    case
        when regexp_instr({{ expression }}, '{{ pattern }}', 2) > 0
            then left({{ expression }}, cast(regexp_instr({{ expression }}, '{{ pattern }}', 2) - 1 as integer))
    end
{%- endmacro %}

{% macro duckdb__regexp_text_before(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, '^(.+?){{ pattern }}', 1), '')
{%- endmacro %}
