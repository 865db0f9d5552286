{#-
    The newest value of a column already in an incremental model (this), as a SQL literal, read
    when the model runs so the incremental filter is a constant the engine can push down to the scan
    (a scalar subquery is not pushed through a view on every engine). Null when the table is empty.
-#}
{% macro incremental_high_water_mark(column, relation, data_type) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query('select cast(max(' ~ column ~ ') as ' ~ dbt.type_string() ~ ') from ' ~ relation) -%}
    {%- set value = result.columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as " ~ data_type ~ ")") }}
{%- endmacro %}
