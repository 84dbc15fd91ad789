{#- True for the publish dates an incremental run rebuilds: var('changed_dates'), a list of
    'YYYY-MM-DD' strings (dbt build --vars '{changed_dates: [2024-05-26]}'). Without the var every
    date is rebuilt, which is always correct. news_assets/sqlproject.py has its own version of this
    macro that binds the dates as query parameters instead of writing them into the SQL. -#}
{% macro changed_dates_filter(column) -%}
  {%- set days = var('changed_dates', none) -%}
  {%- if days is none -%}
    true
  {%- else -%}
    {%- for d in days if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', d | string) -%}
      {{ exceptions.raise_compiler_error("changed_dates: not a YYYY-MM-DD date: " ~ d) }}
    {%- endfor -%}
    ({{ column }} in (
      {%- for d in days %}date '{{ d }}'{{ ", " if not loop.last }}{% endfor -%}
      {%- if not days %}null{% endif -%}
    ))
  {%- endif -%}
{%- endmacro %}
