{{ config(severity='warn') }}
{#-
    Every commitment period in another currency than the reporting currency found an FX rate for
    its first day. Without one its amounts are null and it covers no usage (never converted at 1.0).
-#}
select
    commitment_id,
    period_start,
    source_currency
from {{ ref('int_commitment_periods') }}
where fx_status = 'missing_fx_rate'
