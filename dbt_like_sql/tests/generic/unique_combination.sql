-- combinations of the key columns that occur more than once
select {{ columns }}, count(*) as n from {{ model }} group by all having count(*) > 1
