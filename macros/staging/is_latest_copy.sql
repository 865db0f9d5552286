{#-
    True on the copy of a record that staging keeps: the newest load wins (_loaded_at, then file
    name). whole_extraction=true ranks files, so every row of the newest extraction holding the
    partition (a report bucket, a billing period) is kept and older extractions drop out whole;
    false keeps exactly one row per key (a request, a restated line).
-#}
{% macro is_latest_copy(partition_by, whole_extraction=false, order_first=none) -%}
    {%- set order = ([order_first] if order_first else []) + ['_loaded_at desc', '_loaded_from_file desc'] -%}
    {%- if whole_extraction -%}
        dense_rank() over (partition by {{ partition_by }} order by {{ order | join(', ') }}) = 1
    {%- else -%}
        row_number() over (partition by {{ partition_by }} order by {{ (order + ['_file_row_number desc']) | join(', ') }}) = 1
    {%- endif -%}
{%- endmacro %}
