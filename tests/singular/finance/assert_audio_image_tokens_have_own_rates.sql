{{ config(severity='warn') }}
-- Audio/image tokens priced at a text rate because the price book lacks the model's audio/image
-- rate (see int_usage_priced): not wrong money by construction, but an understatement to fix with
-- a price-book override. Named here, per provider x model, in every build log.
select
    provider,
    model_id,
    sum(modality_fallback_tokens) as modality_fallback_tokens
from {{ ref('fct_ai_cost_daily') }}
group by 1, 2
having sum(modality_fallback_tokens) <> 0
