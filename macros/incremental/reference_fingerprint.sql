{#-
    A fingerprint of reference data (price book, FX, contracts, owners, aliases, catalog...), stored by
    an incremental model on every row it builds (column reference_fingerprint) so that a later run can
    tell whether the reference data its built days were priced/attributed with has changed since: if so
    it rebuilds every day, not only the days with new data (see reference_fingerprint_changed).
-#}

{#- A scalar query (one row, one string column) over every row of a relation, or of a parenthesised
    subquery: the md5 of the ordered per-row md5s of the rows as text. Deterministic and order-free
    (the rows are sorted); an empty relation gives the md5 of ''. -#}
{% macro relation_fingerprint(relation) -%}
    {{ return(adapter.dispatch('relation_fingerprint', 'ai_finops')(relation)) }}
{%- endmacro %}

{% macro duckdb__relation_fingerprint(relation) -%}
    select md5(coalesce(string_agg(row_hash, '' order by row_hash), ''))
    from (select md5(cast(fingerprinted as varchar)) as row_hash from {{ relation }} as fingerprinted) as fingerprint_rows
{%- endmacro %}

{% macro default__relation_fingerprint(relation) -%}
    select md5(coalesce(listagg(row_hash, '') within group (order by row_hash), ''))
    from (
        select md5(to_varchar(object_construct_keep_null(*))) as row_hash from {{ relation }} as fingerprinted
    ) as fingerprint_rows
{%- endmacro %}

{#- A SQL string expression: the md5 of the fingerprints of several relations/subqueries and of
    literal settings (vars that change the output), in the order given. -#}
{% macro reference_fingerprint(relations, settings=[]) -%}
    {%- set parts = [] -%}
    {%- for relation in relations -%}
        {%- do parts.append('(' ~ ai_finops.relation_fingerprint(relation) ~ ')') -%}
        {%- do parts.append("'|'") -%}
    {%- endfor -%}
    {%- for setting in settings -%}
        {%- do parts.append("'" ~ (setting | string | replace("'", "''")) ~ "|'") -%}
    {%- endfor -%}
    {{ return(dbt.hash(dbt.concat(parts))) }}
{%- endmacro %}

{#- True when an incremental run must rebuild every day: the model's table (this) has no
    reference_fingerprint column yet, or holds a row whose fingerprint differs from the current one
    (fingerprint_sql: a SQL string expression, evaluated at run time). False outside an incremental run. -#}
{% macro reference_fingerprint_changed(relation, fingerprint_sql) -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if 'reference_fingerprint' not in columns -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set query -%}
        select count(*) from (
            select 1 as stale from {{ relation }}
            where coalesce(reference_fingerprint, '') <> coalesce(({{ fingerprint_sql }}), '')
            limit 1
        ) as stale_rows
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0] | int > 0) }}
{%- endmacro %}
