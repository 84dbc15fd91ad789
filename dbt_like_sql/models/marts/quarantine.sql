-- Why pages did not make it, per day and stage.
select * from {{ ref('stg_quarantine') }}
