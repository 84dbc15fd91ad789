-- values outside the accepted list; the list is bound as query parameter $1
select * from {{ model }} where {{ column }} is not null and not list_contains($1, {{ column }}::varchar)
