{#-
    Effective-dated rows of one entity never overlap: at most one row is valid on any day.
    valid_from inclusive, valid_to exclusive, null valid_to = open-ended.
-#}
{% test effective_dates_do_not_overlap(model, partition_by, valid_from='valid_from', valid_to='valid_to') %}

with ranges as (

    select
        {{ partition_by | join(', ') }},
        {{ valid_from }} as range_start,
        coalesce({{ valid_to }}, cast('9999-12-31' as date)) as range_end
    from {{ model }}

),

numbered as (

    select
        *,
        row_number() over (
            partition by {{ partition_by | join(', ') }} order by range_start, range_end
        ) as range_number
    from ranges

)

select earlier.*
from numbered as earlier
inner join numbered as later
    on {% for column in partition_by %}earlier.{{ column }} = later.{{ column }} and {% endfor %}
    earlier.range_number < later.range_number
    and later.range_start < earlier.range_end

{% endtest %}
