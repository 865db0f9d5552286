{#- A host-project finance dimension with a common name, built beside the package's models. -#}
select
    'cc-host' as cost_center_id,
    'Host cost center' as cost_center_name
