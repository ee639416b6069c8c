-- Records of this load by outcome. A record (row_no) is quarantined when any of its
-- values is, else staged when any of its rows is new or changed, else unchanged;
-- so rows_in = rows_staged + rows_unchanged + rows_quarantined.
with

records as (
    select distinct row_no from _stg
),

quarantined as (
    select distinct row_no from _stg
    where problems is not null
),

staged as (
    select distinct row_no from _classified
    where row_status in ('new', 'changed')
),

final as (
    select
        count(*) as rows_in,
        count(*) filter (where staged.row_no is not null and quarantined.row_no is null) as rows_staged,
        count(*) filter (where staged.row_no is null and quarantined.row_no is null) as rows_unchanged,
        count(*) filter (where quarantined.row_no is not null) as rows_quarantined
    from records
    left join quarantined on records.row_no = quarantined.row_no
    left join staged on records.row_no = staged.row_no
)

select * from final
