{#-
    The loaders' bucket register (raw._ai_finops_extracted_buckets) lists every bucket of every
    usage/cost API page they landed, empty buckets included. A bucket restated down to zero rows
    has no row of its own to win the newest-extraction rank, so the register supplies the newest
    extraction of each bucket and older rows lose to it. Off (ai_finops__using_extracted_buckets:
    false) when another tool lands the API tables: then the newest extraction holding rows wins.
-#}
{% macro newest_bucket_extraction_join(source_name, table_name, bucket_column='bucket_start_at') -%}
    {%- if var('ai_finops__using_extracted_buckets') -%}
    left join (
        select
            bucket_start_at as newest_extraction_bucket_start_at,
            _loaded_at as newest_extraction_loaded_at,
            _loaded_from_file as newest_extraction_file
        from (
            select
                *,
                row_number() over (
                    partition by bucket_start_at order by _loaded_at desc, _loaded_from_file desc
                ) as extraction_rank
            from {{ source(source_name, 'extracted_buckets') }}
            where table_name = '{{ var("ai_finops__" ~ source_name ~ "_" ~ table_name ~ "_identifier") }}'
        ) as registered
        where extraction_rank = 1
    ) as newest_extraction
        on {{ bucket_column }} = newest_extraction.newest_extraction_bucket_start_at
    {%- endif -%}
{%- endmacro %}

{% macro not_superseded_by_newer_extraction() -%}
    {%- if var('ai_finops__using_extracted_buckets') -%}
    (
        newest_extraction.newest_extraction_loaded_at is null
        or _loaded_at > newest_extraction.newest_extraction_loaded_at
        or (
            _loaded_at = newest_extraction.newest_extraction_loaded_at
            and _loaded_from_file >= newest_extraction.newest_extraction_file
        )
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
