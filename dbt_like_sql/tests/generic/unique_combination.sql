{#- Combinations of the key columns that occur more than once. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n from {{ model }} group by all having count(*) > 1
{% endtest %}
