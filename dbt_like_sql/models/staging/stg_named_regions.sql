-- Countries and macro regions from their seeds, aliases split into a list.
select 'country' as kind, code, name, [x for x in string_split(coalesce(aliases, ''), '|') if x <> ''] as aliases
from {{ ref('countries') }}
union all
select 'macro', code, name, [x for x in string_split(coalesce(aliases, ''), '|') if x <> '']
from {{ ref('macro_regions') }}
