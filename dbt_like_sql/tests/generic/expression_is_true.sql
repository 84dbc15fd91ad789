-- rows for which the expression (written in schema.yml) is not true
select * from {{ model }} where not coalesce(({{ expression }}), false)
