{#-
    A timestamp, or text holding one, -> UTC timestamp without time zone, whatever the session's time
    zone: text with an offset, `Z` or a zone name after the time of day is converted to UTC; text
    without one is taken as UTC; a timestamp without time zone passes through (taken as UTC); a
    timestamp with time zone is converted to UTC. Null when the text is unparsable (callers
    quarantine on it). The zone is found by a regular expression (at least two-digit hours and
    minutes, optional seconds and fraction, then a sign and a digit or a letter).
-#}
{% macro to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'ai_finops')(expression)) }}
{%- endmacro %}

{#- Snowflake: the value as text (a typed timestamp prints in the session's output format, with its
    offset when it has one; timestamp_ntz prints to the millisecond by default). try_to_timestamp_tz
    alone would read text without an offset in the session's TIMEZONE (America/Los_Angeles unless
    set), so only text with a zone goes through it. -#}
{% macro default__to_utc_timestamp(expression) -%}
    {%- set text = 'cast(' ~ expression ~ ' as varchar)' -%}
    case
        when regexp_like({{ text }}, '.*[0-9]{2}:[0-9]{2}(:[0-9]{2})?([.][0-9]*)? *([+-][0-9]|[A-Za-z]).*')
            then convert_timezone('UTC', try_to_timestamp_tz({{ text }}))::timestamp_ntz
        else try_cast({{ text }} as timestamp_ntz)
    end
{%- endmacro %}

{#- DuckDB: typeof() is folded when the query is bound, so a typed timestamp column is a plain cast
    (no text round trip). Casting text to timestamp drops an offset ('23:30-05:00' stays 23:30) and
    casting to timestamptz reads text without one in the session's TimeZone (the machine's local
    zone by default): text goes to timestamptz only when it carries a zone. A timestamptz prints
    with its offset, so it takes the text path. -#}
{% macro duckdb__to_utc_timestamp(expression) -%}
    {%- set text = 'cast(' ~ expression ~ ' as varchar)' -%}
    case
        when typeof({{ expression }}) in ('TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATE')
            then cast({{ expression }} as timestamp)
        when regexp_matches({{ text }}, '[0-9]{2}:[0-9]{2}(:[0-9]{2})?([.][0-9]*)? *([+-][0-9]|[A-Za-z])')
            then timezone('UTC', try_cast({{ text }} as timestamptz))
        else try_cast({{ text }} as timestamp)
    end
{%- endmacro %}
