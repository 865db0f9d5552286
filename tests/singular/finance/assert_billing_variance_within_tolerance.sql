{#-
    Warns when computed and billed cost disagree beyond var ai_finops__reconciliation_tolerance_pct
    in a provider-month, after the explained part. A warning, not a failure: a provider's price change
    or a negotiated rate should be looked at, not stop the build. The demo data must stay within it
    (tests/python/test_pipeline.py asserts that).
-#}
{{ config(severity='warn') }}

select *
from {{ ref('fct_billing_reconciliation_monthly') }}
where abs(unexplained_variance_pct) > {{ var('ai_finops__reconciliation_tolerance_pct') }} / 100.0
