{#-
    The token types of one price point (provider x model x tier x context) change together: every
    window that starts on a date ends on one date. int_model_prices pivots token types per window,
    so a split window would leave a token type without a price.
-#}
select
    provider,
    model_id,
    service_tier,
    context_tier,
    valid_from,
    count(distinct coalesce(valid_to, cast('9999-12-31' as date))) as distinct_window_ends
from {{ ai_finops.reference_table('model_prices') }}
group by 1, 2, 3, 4, 5
having count(distinct coalesce(valid_to, cast('9999-12-31' as date))) > 1
