-- rule: course_overlap
-- table: staging.courses
-- checked: chk_courses
-- figures: all
-- description: Two courses of the same citizen in the same intervention overlap in time
--   (start to end date; an open course runs to the as-of date) or start on the same day.
--   Most often one course staged twice: the source system renumbered its case ids
--   (S1 -> NY-S1) and exported the same courses again, or a second source delivers them
--   under its own ids. The citizen, its planned points and its missing measurements then
--   count twice, and the due list shows the citizen twice. A course that starts on or
--   after the day the other ended is a new course and passes. The later course of the
--   pair (by start date, then the later load, then course id) is listed, naming the
--   earlier one and the citizen's pseudonym.
-- fix: Ask the source system which course is the real one and correct the other there
--   (delete a copy; end the earlier course where a new one began). A course exported
--   again under a new id (S1 -> NY-S1) stays staged under its old id until a corrected
--   re-export with the earlier file's name leaves it out (ingest.reexport: replace, the
--   default); export its forms under the id that stays. takes_over in sources.yaml does
--   not merge the two: it lets a new source's rows replace an old source's rows with the
--   same ref (declare it when a new system delivers the old one's refs unchanged), and
--   these courses have different ids.
--
-- A row depends on both courses and, for an open course, on the as-of date: a run that
-- checks only the changed courses must take every course of a changed course's citizen
-- and intervention (either may be the one listed) and the open ones the new as-of date
-- moves. The earlier course is read from all staged courses, so a team's or an
-- intervention's run finds its course's partner in another team too.

with

courses as (
    select * from chk_courses
),

staged as (
    select * from staging.courses
),

loads as (
    select * from staging.loads
),

params as (
    select * from chk_params
),

-- every staged course of a citizen in an intervention, numbered by start date, then
-- load (the later load is the copy), then course id; spans end at the end date, an open
-- course's at the as-of date (never before the start)
spans as (
    select
        staged.course_id,
        staged.citizen_id,
        staged.intervention_id,
        staged.start_date,
        staged.end_date,
        greatest(coalesce(staged.end_date, params.as_of_date), staged.start_date) as span_end,
        row_number() over (
            partition by staged.citizen_id, staged.intervention_id
            order by staged.start_date, loads.started_at nulls first, staged.course_id
        ) as seq
    from staged
    left join loads on staged.load_id = loads.load_id
    cross join params
),

pairs as (
    select
        later.course_id,
        earlier.course_id as earlier_course_id,
        later.citizen_id,
        later.intervention_id,
        later.start_date,
        later.end_date,
        earlier.start_date as earlier_start_date,
        earlier.end_date as earlier_end_date,
        earlier.seq as earlier_seq,
        later.start_date = earlier.start_date as same_start,
        date_diff(
            'day',
            greatest(later.start_date, earlier.start_date),
            least(later.span_end, earlier.span_end)
        ) as days_overlap
    from spans as later
    inner join spans as earlier
        on
            later.citizen_id = earlier.citizen_id
            and later.intervention_id = earlier.intervention_id
            and later.seq > earlier.seq
    where
        later.start_date = earlier.start_date
        or (later.start_date < earlier.span_end and earlier.start_date < later.span_end)
),

-- one row per later course: the same-start partner first, then the earliest
first_pairs as (
    select *
    from pairs
    qualify row_number() over (
        partition by course_id order by same_start desc, earlier_seq asc
    ) = 1
),

final as (
    select
        'course_overlap' as rule_id,
        chk_severity('course_overlap') as severity,
        'staging.courses' as table_name,
        courses.intervention_id,
        courses.team_id,
        courses.course_id,
        courses.start_date as event_date,
        first_pairs.days_overlap::double as observed,
        'courses ' || courses.course_id || ' (' || strftime(first_pairs.start_date, '%Y-%m-%d')
        || ' to ' || coalesce(strftime(first_pairs.end_date, '%Y-%m-%d'), 'open') || ') and '
        || first_pairs.earlier_course_id || ' ('
        || strftime(first_pairs.earlier_start_date, '%Y-%m-%d') || ' to '
        || coalesce(strftime(first_pairs.earlier_end_date, '%Y-%m-%d'), 'open')
        || ') of citizen ' || first_pairs.citizen_id || ' in ' || first_pairs.intervention_id
        || case when first_pairs.same_start then ' start the same day' else ' overlap' end
            as reason,
        courses.file_name,
        courses.row_no
    from first_pairs
    inner join courses on first_pairs.course_id = courses.course_id
)

select * from final
