{{ config(severity='warn') }}
{#-
    Every provider bill line in another currency than the reporting currency found an FX rate for
    its day (seeds/pricing/ai_finops__fx_rates.csv, at most ai_finops__fx_max_rate_age_days old). A line
    without one is left out of billed cost (never converted at 1.0): add the rate and rebuild.
-#}
select
    billed_date,
    provider,
    reported_model,
    source_currency,
    source_billed_cost
from {{ ref('int_billed_costs_daily') }}
where fx_status = 'missing_fx_rate'
