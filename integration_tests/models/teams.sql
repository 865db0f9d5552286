{#-
    A host-project model named like one of the package's reference tables. Its team_id repeats on
    purpose: were the package's seed tests or refs to bind to it, the build would fail.
-#}
select
    'host-team' as team_id,
    'Host team, first row' as team_name
union all
select
    'host-team' as team_id,
    'Host team, second row' as team_name
