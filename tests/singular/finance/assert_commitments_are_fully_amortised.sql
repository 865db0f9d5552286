{#-
    Commitment money is neither lost nor doubled: every commitment period's amount is exactly
    amortised onto usage + unused + not yet amortised; the amortised part equals the
    amortized_commitment_cost carried by the usage rows (per provider); and the chargeback's
    effective cost after sharing, per month, is the usage rows' effective cost plus the unused
    commitment booked in that month plus the month's shared charges.
-#}
with utilization as (

    select * from {{ ref('fct_commitment_utilization') }}

),

period_identity as (

    select
        'period amount not fully accounted for' as failure,
        commitment_id as scope,
        period_amount as expected,
        amortized_cost + unused_cost + unamortized_amount as actual
    from utilization
    where abs(amortized_cost + unused_cost + unamortized_amount - period_amount) > 0.000001
        or amortized_cost < -0.000001
        or unused_cost < -0.000001
        or unamortized_amount < -0.000001

),

amortised_by_provider as (

    select
        provider,
        sum(amortized_cost) as amortized_cost
    from utilization
    group by 1

),

usage_amortised_by_provider as (

    select
        provider,
        sum(amortized_commitment_cost) as amortized_cost
    from {{ ref('fct_ai_cost_daily') }}
    group by 1

),

amortised_mismatch as (

    select
        'amortised commitment differs from usage rows' as failure,
        coalesce(amortised_by_provider.provider, usage_amortised_by_provider.provider) as scope,
        coalesce(amortised_by_provider.amortized_cost, 0) as expected,
        coalesce(usage_amortised_by_provider.amortized_cost, 0) as actual
    from amortised_by_provider
    full outer join usage_amortised_by_provider
        on amortised_by_provider.provider = usage_amortised_by_provider.provider
    where abs(
            coalesce(amortised_by_provider.amortized_cost, 0) - coalesce(usage_amortised_by_provider.amortized_cost, 0)
        )
        > 0.000001

),

daily_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        sum(coalesce(effective_cost, 0)) as effective_cost
    from {{ ref('fct_ai_cost_daily') }}
    group by 1

),

unused_by_month as (

    select
        cast({{ dbt.date_trunc('month', 'last_elapsed_date') }} as date) as billing_month,
        sum(unused_cost) as unused_cost
    from utilization
    group by 1

),

charges_by_month as (

    select
        daily_by_month.billing_month,
        sum(cost_pool_charges.monthly_amount) as shared_charges
    from daily_by_month
    inner join {{ ai_finops.reference_table('cost_pool_charges') }} as cost_pool_charges
        on daily_by_month.billing_month >= cost_pool_charges.valid_from
            and daily_by_month.billing_month < coalesce(cost_pool_charges.valid_to, cast('9999-12-31' as date))
    group by 1

),

chargeback_by_month as (

    select
        billing_month,
        sum(coalesce(effective_cost, 0)) as effective_cost
    from {{ ref('fct_chargeback_monthly') }}
    group by 1

),

chargeback_mismatch as (

    select
        'chargeback effective cost differs' as failure,
        cast(chargeback_by_month.billing_month as {{ dbt.type_string() }}) as scope,
        coalesce(daily_by_month.effective_cost, 0) + coalesce(unused_by_month.unused_cost, 0)
        + coalesce(charges_by_month.shared_charges, 0) as expected,
        chargeback_by_month.effective_cost as actual
    from chargeback_by_month
    left join daily_by_month
        on chargeback_by_month.billing_month = daily_by_month.billing_month
    left join unused_by_month
        on chargeback_by_month.billing_month = unused_by_month.billing_month
    left join charges_by_month
        on chargeback_by_month.billing_month = charges_by_month.billing_month
    where abs(
            coalesce(daily_by_month.effective_cost, 0) + coalesce(unused_by_month.unused_cost, 0)
            + coalesce(charges_by_month.shared_charges, 0) - chargeback_by_month.effective_cost
        ) > 0.000001

)

select * from period_identity
union all
select * from amortised_mismatch
union all
select * from chargeback_mismatch
