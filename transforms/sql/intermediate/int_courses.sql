-- model: int_courses
-- grain: one row per course (staging.courses), with the citizen's background and
--   the intervention's norm group.
-- incremental: course_id
-- Case status: open (no end_date); closed_planned (end_reason completed_planned);
--   closed_unplanned (ended for any other reason, or with no reason given).
-- Age is whole years at course start from the birth year (start year - birth year).
-- columns:
--   course_id: course id (source's course ref)
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id from config
--   intervention_name: intervention name from config (NULL if not in config)
--   norm_group: the intervention's norm group for bands and cut-offs
--   variant: intervention variant (default standard)
--   team_id: team delivering the course
--   start_date: course start
--   end_date: course end (NULL while open)
--   end_reason: completed_planned | dropped_out | moved | referred_on | NULL
--   case_status: open | closed_planned | closed_unplanned
--   gender: female | male | other | NULL
--   birth_year: citizen's birth year
--   age_at_start: age in whole years at course start (approximate, from birth year)
--   age_band: age band label from ref.age_bands
--   start_year: calendar year of the start
--   start_quarter: quarter of the start, YYYY-Qn
--   end_quarter: quarter of the end, YYYY-Qn (NULL while open)

with

courses as (
    select * from staging.courses
),

citizens as (
    select * from staging.citizens
),

interventions as (
    select * from ref.interventions
),

age_bands as (
    select * from ref.age_bands
),

-- one row per whole year of age, so the band is an equality join
ages as (
    select
        age_band,
        unnest(range(min_age, max_age + 1)) as age
    from age_bands
),

joined as (
    select
        -- ids
        courses.course_id,
        courses.citizen_id,
        courses.intervention_id,
        interventions.intervention_name,
        interventions.norm_group,
        courses.variant,
        courses.team_id,
        -- dates
        courses.start_date,
        courses.end_date,
        courses.end_reason,
        -- citizen
        citizens.gender,
        citizens.birth_year,
        year(courses.start_date) - citizens.birth_year as age_at_start,
        case
            when courses.end_date is null then 'open'
            when courses.end_reason = 'completed_planned' then 'closed_planned'
            else 'closed_unplanned'
        end as case_status,
        year(courses.start_date) as start_year,
        strftime(courses.start_date, '%Y') || '-Q' || quarter(courses.start_date)
            as start_quarter,
        strftime(courses.end_date, '%Y') || '-Q' || quarter(courses.end_date) as end_quarter,
        count(*) over (partition by courses.citizen_id, courses.intervention_id) > 1
            as is_repeat_citizen
    from courses
    left join citizens on courses.citizen_id = citizens.citizen_id
    left join interventions on courses.intervention_id = interventions.intervention_id
),

final as (
    select
        joined.course_id,
        joined.citizen_id,
        joined.is_repeat_citizen,
        joined.intervention_id,
        joined.intervention_name,
        joined.norm_group,
        joined.variant,
        joined.team_id,
        joined.start_date,
        joined.end_date,
        joined.end_reason,
        joined.case_status,
        joined.gender,
        joined.birth_year,
        joined.age_at_start,
        ages.age_band,
        joined.start_year,
        joined.start_quarter,
        joined.end_quarter
    from joined
    left join ages on joined.age_at_start = ages.age
)

select * from final
