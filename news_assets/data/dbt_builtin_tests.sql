{#- dbt's four built-in generic tests as dbt-adapters defines them (global_project/macros/
    generic_test_sql), for news_assets.sqlproject: dbt itself uses its own. They return the same rows,
    so both engines count the same failures. One change: accepted_values takes its list as the bound
    query parameter $values rather than as literals written into the SQL. -#}

{% test not_null(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
{% endtest %}

{% test unique(model, column_name) %}
select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{% endtest %}

{% test accepted_values(model, column_name, values) %}
with all_values as (
    select {{ column_name }} as value_field, count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select * from all_values
where value_field is not null and not list_contains($values, value_field::varchar)
{% endtest %}

{% test relationships(model, column_name, to, field) %}
with child as (
    select {{ column_name }} as from_field from {{ model }} where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field from {{ to }}
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
{% endtest %}
