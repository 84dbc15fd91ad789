-- rows where the column is null (a passing test returns none)
select * from {{ model }} where {{ column }} is null
