{#- A host-project finance model named like the package's budgets seed, with none of its columns. -#}
select
    'FY27' as fiscal_year,
    1000000.0 as ai_budget_usd
