-- Warnings (and errors) of one run per rule that flags courses, with how many of its rows are on the
-- given courses (a citizen pack's agenda; 0 when none): what a caveat scoped to the
-- meeting's citizens counts. Rules without a course (rates, rater drift) are not here:
-- their caveat is the team's own, from the gate.
-- Parameters: $1 = run id, $2 = course ids (list).
with

failures as (
    select * from quality.failures
),

final as (
    select
        rule_id,
        count(*) filter (where list_contains($2, course_id)) as n_rows
    from failures
    where
        run_id = $1
        and severity <> 'info'  -- errors too: with errors_block off they are caveats
        and course_id is not null
    group by rule_id
)

select * from final
order by rule_id
