{#- A host-project finance mart reading the package's public chargeback mart. -#}
select
    billing_month,
    team_id,
    sum(contracted_cost) as contracted_cost
from {{ ref('ai_finops', 'fct_chargeback_monthly') }}
group by 1, 2
