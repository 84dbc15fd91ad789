-- values that occur more than once
select {{ column }}, count(*) as n from {{ model }} where {{ column }} is not null group by 1 having count(*) > 1
