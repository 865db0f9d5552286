{#- Rows in = rows staged + rows quarantined + rows superseded, for every source table. -#}
select *
from {{ ref('fct_source_row_accounting') }}
where raw_rows <> staged_rows + quarantined_rows + superseded_rows
