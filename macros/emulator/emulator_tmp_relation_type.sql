{#-
    The project's ONLY Snowflake-emulator workaround (CI builds the project on fakesnow, see
    src/ai_finops/quality/emulator_build.py). Incremental models pass it as their
    tmp_relation_type config. dbt-snowflake's delete+insert stages each run in a session-temporary
    table named database.schema.<model>__dbt_tmp; fakesnow can neither create a qualified temporary
    table nor describe one, so with var ai_finops__snowflake_emulator true the staging table is a
    transient table in the model's schema (dbt-snowflake drops it after the run). Otherwise it returns
    none: the config is unset and the adapter's default applies, so it is inert on a real Snowflake
    account and on DuckDB (which has no such config).
-#}
{% macro emulator_tmp_relation_type() -%}
    {{ return(adapter.dispatch('emulator_tmp_relation_type', 'ai_finops')()) }}
{%- endmacro %}

{% macro default__emulator_tmp_relation_type() -%}
    {{ return('transient' if var('ai_finops__snowflake_emulator', false) else none) }}
{%- endmacro %}
