{#-
    A reference table (prices, ownership, contracts, allocation, budgets...) from our seed ai_finops__<name>,
    or from the user's own table when var ai_finops__<name>_relation names one ('schema.table' or
    'database.schema.table'). The user's table must have the seed's columns (see seeds/*/_*__seeds.yml).
    Seeds carry the package prefix so a host project's own `teams` or `budgets` model never collides with them.
-#}
{% macro reference_table(seed_name) -%}
    {%- set override = var('ai_finops__' ~ seed_name ~ '_relation', none) -%}
    {%- if override -%}
        {%- set parts = override.split('.') -%}
        {%- if parts | length == 3 -%}
            {{ return(api.Relation.create(database=parts[0], schema=parts[1], identifier=parts[2])) }}
        {%- elif parts | length == 2 -%}
            {{ return(api.Relation.create(database=target.database, schema=parts[0], identifier=parts[1])) }}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "var ai_finops__" ~ seed_name ~ "_relation must be 'schema.table' or 'database.schema.table', got '"
                ~ override ~ "'"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(ref('ai_finops', 'ai_finops__' ~ seed_name)) }}
{%- endmacro %}
