-- child values with no parent row
select c.{{ column }} from {{ model }} c
where c.{{ column }} is not null
  and not exists (select 1 from {{ to }} p where p.{{ field }} = c.{{ column }})
