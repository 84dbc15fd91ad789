{#- Rows for which a SQL expression (written in the YAML, project code like a model) is not true;
    dbt_utils has one of this name, but the project needs no package for it. -#}
{% test expression_is_true(model, expression, column_name=none) %}
select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
