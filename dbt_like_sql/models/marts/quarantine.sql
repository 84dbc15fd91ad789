-- Why pages did not make it, per day and stage.
{{ config(materialized='view') }}
select * from {{ ref('stg_quarantine') }}
