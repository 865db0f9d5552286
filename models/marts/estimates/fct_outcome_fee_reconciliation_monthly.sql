{{ config(enabled=var('ai_finops__using_outcomes')) }}

with contracts as (

    select * from {{ ai_finops.reference_table('outcome_fee_contracts') }}

),

invoices as (

    select * from {{ ai_finops.reference_table('outcome_fee_invoices') }}

),

outcomes as (

    select * from {{ ref('stg_outcomes__business_outcomes') }}

),

-- our own count of the contract's outcomes, per calendar month of the contract's validity
observed_monthly as (

    select
        contracts.outcome_fee_contract_id,
        cast({{ dbt.date_trunc('month', 'outcomes.event_date') }} as date) as billing_month,
        sum(outcomes.outcome_count) as observed_outcomes
    from outcomes
    inner join contracts
        on
            outcomes.workflow_id = contracts.workflow_id
            and outcomes.outcome_type = contracts.outcome_type
            and outcomes.event_date >= contracts.valid_from
            and (contracts.valid_to is null or outcomes.event_date < contracts.valid_to)
    group by 1, 2

),

-- an invoice line belongs to the contract valid in its billing month; a line no contract covers
-- keeps a null contract and is disputed in full (never dropped)
billed_monthly as (

    select
        contracts.outcome_fee_contract_id,
        invoices.invoice_id,
        invoices.vendor,
        invoices.outcome_type,
        invoices.billing_month,
        invoices.billed_outcomes,
        invoices.billed_amount
    from invoices
    left join contracts
        on
            invoices.vendor = contracts.vendor
            and invoices.outcome_type = contracts.outcome_type
            and invoices.billing_month >= cast({{ dbt.date_trunc('month', 'contracts.valid_from') }} as date)
            and (contracts.valid_to is null or invoices.billing_month < contracts.valid_to)

),

months as (

    select
        billed_monthly.invoice_id,
        billed_monthly.vendor as invoice_vendor,
        billed_monthly.outcome_type as invoice_outcome_type,
        coalesce(billed_monthly.outcome_fee_contract_id, observed_monthly.outcome_fee_contract_id)
            as outcome_fee_contract_id,
        coalesce(billed_monthly.billing_month, observed_monthly.billing_month) as billing_month,
        billed_monthly.invoice_id is not null as has_invoice,
        coalesce(billed_monthly.billed_outcomes, 0) as billed_outcomes,
        coalesce(billed_monthly.billed_amount, 0) as billed_amount,
        coalesce(observed_monthly.observed_outcomes, 0) as observed_outcomes
    from billed_monthly
    full outer join observed_monthly
        on
            billed_monthly.outcome_fee_contract_id = observed_monthly.outcome_fee_contract_id
            and billed_monthly.billing_month = observed_monthly.billing_month

),

priced as (

    select
        months.*,
        contracts.workflow_id,
        contracts.usd_per_outcome,
        coalesce(contracts.vendor, months.invoice_vendor) as vendor,
        coalesce(contracts.outcome_type, months.invoice_outcome_type) as outcome_type,
        months.observed_outcomes * coalesce(contracts.usd_per_outcome, 0) as expected_amount,
        months.billed_amount - months.observed_outcomes * coalesce(contracts.usd_per_outcome, 0) as amount_difference,
        case
            when contracts.usd_per_outcome is null then months.billed_amount
            else (months.billed_outcomes - months.observed_outcomes) * contracts.usd_per_outcome
        end as outcome_count_difference_amount,
        case
            when contracts.usd_per_outcome is null then 0
            else months.billed_amount - months.billed_outcomes * contracts.usd_per_outcome
        end as rate_difference_amount
    from months
    left join contracts
        on months.outcome_fee_contract_id = contracts.outcome_fee_contract_id

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(outcome_fee_contract_id, 'no_contract')", "'|'", "vendor", "'|'", "outcome_type", "'|'",
            "cast(billing_month as " ~ dbt.type_string() ~ ")"
        ])) }} as outcome_fee_reconciliation_id,
        billing_month,
        outcome_fee_contract_id,
        vendor,
        workflow_id,
        outcome_type,
        invoice_id,
        has_invoice,
        outcome_fee_contract_id is not null as has_contract,
        cast(usd_per_outcome as {{ ai_finops.type_double() }}) as usd_per_outcome,
        cast(billed_outcomes as {{ dbt.type_bigint() }}) as billed_outcomes,
        cast(observed_outcomes as {{ dbt.type_bigint() }}) as observed_outcomes,
        cast(billed_outcomes - observed_outcomes as {{ dbt.type_bigint() }}) as outcome_count_difference,
        cast(billed_amount as {{ ai_finops.type_double() }}) as billed_amount,
        cast(expected_amount as {{ ai_finops.type_double() }}) as expected_amount,
        cast(amount_difference as {{ ai_finops.type_double() }}) as amount_difference,
        cast(outcome_count_difference_amount as {{ ai_finops.type_double() }}) as outcome_count_difference_amount,
        cast(rate_difference_amount as {{ ai_finops.type_double() }}) as rate_difference_amount,
        cast(
            case
                when amount_difference > {{ var('ai_finops__outcome_fee_tolerance') }} then amount_difference else 0
            end
            as {{ ai_finops.type_double() }}
        ) as amount_to_dispute,
        (
            billed_outcomes <> observed_outcomes
            or amount_difference > {{ var('ai_finops__outcome_fee_tolerance') }}
            or amount_difference < -{{ var('ai_finops__outcome_fee_tolerance') }}
        ) as has_mismatch,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from priced

)

select * from final
