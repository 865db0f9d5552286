{{ config(severity='warn') }}
-- Pitfall 14 (unpriced models shown at $0): usage the price book cannot price keeps a null list and
-- contracted cost, never 0. Its dollars are still known when the provider billed it (billed_cost spreads
-- the bill for unpriced models over their tokens, FOCUS exports it at the billed rate). This names the
-- unpriced usage whose dollars nobody knows: no price and no bill (a gateway-only provider, a provider
-- without a billing source loaded, or a bill that lacks the model), per provider x model x status.
select
    provider,
    model_id,
    pricing_status,
    count(*) as usage_rows,
    sum(total_tokens) as tokens,
    sum(usage_quantity) as units
from {{ ref('fct_ai_cost_daily') }}
where pricing_status <> 'priced'
    and billed_cost is null
group by 1, 2, 3
