{#-
    The gateway days an incremental run must rebuild, read at run time: every day holding a copy (new
    or earlier) of a request with a spend-log copy loaded after loaded_until (a SQL timestamp
    literal). int_gateway_requests_enriched rebuilds these days, and the roll-ups of it rebuild the
    same days from their own high-water mark of _loaded_at. Plus, when var ai_finops__lookback_days
    (default 0) is N > 0, the newest N days and the one before them (a safety net: restate the
    trailing days on every run even without new copies). A list of 'YYYY-MM-DD' strings, sorted.
-#}
{% macro gateway_changed_days(loaded_until) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set base = ref('base_litellm__spend_logs') -%}
    {%- set lookback_days = var('ai_finops__lookback_days', 0) | int -%}
    {%- set query -%}
        with new_copies as (
            select request_id, request_started_at
            from {{ base }}
            where _loaded_at > {{ loaded_until }}
        ),

        earlier_copies as (
            -- a request's earlier copies are where base looks for them (its bound on request_started_at)
            select request_started_at
            from {{ base }}
            where {{ ai_finops.spend_log_copies_bound(base, "request_started_at", loaded_until) }}
                and request_id in (select new_copies.request_id from new_copies)
        )

        select distinct cast(cast(request_started_at as date) as {{ dbt.type_string() }}) as usage_date
        from (
            select request_started_at from new_copies
            union all
            select request_started_at from earlier_copies
            {%- if lookback_days > 0 %}
                union all
                -- the trailing days, from the newest day base holds
                select request_started_at
                from {{ base }}
                where request_started_at >= (
                    select {{ dbt.dateadd('day', -lookback_days, 'cast(cast(max(request_started_at) as date) as ' ~ dbt.type_timestamp() ~ ')') }}
                    from {{ base }}
                )
            {%- endif %}
        ) as copies
        where request_started_at is not null
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | map('string') | sort | list) }}
{%- endmacro %}

{#- A SQL filter keeping the given days (gateway_changed_days): a range on date_column (and on
    timestamp_column when given) that the engine prunes the scan on, plus the exact list; 1 = 0 when
    the list is empty. -#}
{% macro gateway_days_filter(days, date_column='usage_date', timestamp_column=none) -%}
    {%- if not days -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for day in days -%}
        {%- do literals.append("cast('" ~ day ~ "' as date)") -%}
    {%- endfor -%}
    {%- set day_after = modules.datetime.date.fromisoformat(days[-1] | string) + modules.datetime.timedelta(days=1) -%}
    {%- set parts = [] -%}
    {%- if timestamp_column is not none -%}
        {%- do parts.append(timestamp_column ~ " >= cast('" ~ days[0] ~ "' as " ~ dbt.type_timestamp() ~ ")") -%}
        {%- do parts.append(timestamp_column ~ " < cast('" ~ day_after ~ "' as " ~ dbt.type_timestamp() ~ ")") -%}
    {%- else -%}
        {%- do parts.append(date_column ~ " >= cast('" ~ days[0] ~ "' as date)") -%}
        {%- do parts.append(date_column ~ " < cast('" ~ day_after ~ "' as date)") -%}
    {%- endif -%}
    {%- do parts.append(date_column ~ ' in (' ~ literals | join(', ') ~ ')') -%}
    {{ return(parts | join(' and ')) }}
{%- endmacro %}

{#- The days an incremental gateway roll-up (this) rebuilds, this storing _loaded_at (the newest load
    time of the requests it aggregates) and reference_fingerprint: none (rebuild every day) on a full
    build, when this has no _loaded_at yet or none is set, or when the reference fingerprint differs
    (fingerprint_sql); else gateway_changed_days since this's newest _loaded_at. -#}
{% macro gateway_rollup_changed_days(fingerprint_sql) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if '_loaded_at' not in columns or ai_finops.reference_fingerprint_changed(this, fingerprint_sql) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set loaded_until = ai_finops.incremental_high_water_mark('_loaded_at', this, dbt.type_timestamp()) -%}
    {%- if loaded_until is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(ai_finops.gateway_changed_days(loaded_until)) }}
{%- endmacro %}

{#- gateway_rollup_changed_days as a filter on date_column (gateway_days_filter); none: every day. -#}
{% macro gateway_rollup_days_filter(fingerprint_sql, date_column='usage_date') -%}
    {%- set days = ai_finops.gateway_rollup_changed_days(fingerprint_sql) -%}
    {%- if days is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(ai_finops.gateway_days_filter(days, date_column)) }}
{%- endmacro %}

{#- Where base_litellm__spend_logs looks for the earlier copies of the requests in the spend-log rows
    loaded after loaded_until (relation: the raw source or base; started_at: the SQL expression of a
    row's start time there), as a SQL filter on base's columns: the days the new rows started on (a
    re-delivered copy carries its request's start time) and rows without a start time; no bound (1 = 1)
    when a new row with a request_id has no start time (its copies could be on any day); 1 = 0 when
    nothing was loaded. Read at run time, so the filter is a constant range the engine prunes on. -#}
{% macro spend_log_copies_bound(relation, started_at, loaded_until) -%}
    {%- if not execute -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    {%- set query -%}
        select
            cast(min(cast({{ started_at }} as date)) as {{ dbt.type_string() }}) as first_day,
            cast(max(cast({{ started_at }} as date)) as {{ dbt.type_string() }}) as last_day,
            count(*) as new_rows,
            count(case when {{ started_at }} is null and request_id is not null then 1 end) as undated_requests
        from {{ relation }}
        {% if loaded_until is not none -%}
            where _loaded_at > {{ loaded_until }}
        {%- endif %}
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- if row[2] | int == 0 -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {%- if row[3] | int > 0 -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    {%- if row[0] is none -%}
        {{ return('request_started_at is null') }}
    {%- endif -%}
    {%- set day_after = modules.datetime.date.fromisoformat(row[1] | string) + modules.datetime.timedelta(days=1) -%}
    {{ return("(request_started_at >= cast('" ~ row[0] ~ "' as " ~ dbt.type_timestamp() ~ ")"
        ~ " and request_started_at < cast('" ~ day_after ~ "' as " ~ dbt.type_timestamp() ~ ")"
        ~ " or request_started_at is null)") }}
{%- endmacro %}
