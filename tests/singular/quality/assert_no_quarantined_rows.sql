{#-
    Warns (does not fail the build) while any raw row is quarantined, so the count is visible in
    every `dbt build` log; the rows and reasons are in int_quarantined_rows.
-#}
{{ config(severity='warn') }}

select
    source_name,
    source_table,
    quarantine_reason,
    count(*) as quarantined_rows
from {{ ref('int_quarantined_rows') }}
group by 1, 2, 3
