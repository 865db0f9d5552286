{#-
    Incremental strategy 'latest_copies' (base_litellm__spend_logs): delete+insert on the unique key,
    the delete bounded by the model's spend_log_copies_bound, recomputed here at run time (the table
    and the raw rows are those the model's query read). The model rewrites only the new rows and the
    earlier copies of their requests found inside that bound, so the delete removes exactly those
    copies and scans only the bound's days instead of the whole table. The adapter's own delete+insert
    SQL (get_delete_insert_merge_sql) does the work, with the bound as an incremental predicate.
-#}
{% macro get_incremental_latest_copies_sql(arg_dict) -%}
    {%- set loaded_until = ai_finops.incremental_high_water_mark(
        '_loaded_at', arg_dict['target_relation'], dbt.type_timestamp()
    ) -%}
    {%- set predicates = (arg_dict['incremental_predicates'] or []) | list -%}
    {%- if loaded_until is not none -%}
        {%- do predicates.append(ai_finops.spend_log_copies_bound(
            source('litellm', 'spend_logs'), ai_finops.to_utc_timestamp('start_time'), loaded_until
        )) -%}
    {%- endif -%}
    {{ return(get_delete_insert_merge_sql(
        arg_dict['target_relation'], arg_dict['temp_relation'], arg_dict['unique_key'],
        arg_dict['dest_columns'], predicates
    )) }}
{%- endmacro %}
