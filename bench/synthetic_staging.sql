-- Synthetic staging rows for the build benchmark (bench/build.py).
-- Reads bench_params (n_courses, as_of_date) and the ref tables written from the config.
-- One citizen per course; courses spread over the configured interventions, starting
-- over five years; about 70 % closed after half a year. Every planned form that has
-- fallen due is collected with 90 % probability, a few days off its due date, with
-- random answers in the item range (2 % missing). Two goals per course, rated at start
-- and, for closed courses, at the end.

create or replace temp table bench_courses as
with

params as (
    select * from bench_params
),

interventions as (
    select
        intervention_id,
        row_number() over (order by intervention_order) - 1 as intervention_index,
        count(*) over () as n_interventions
    from ref.interventions
),

numbered as (
    select
        t.course_no,
        params.as_of_date,
        date '2020-01-01' + (t.course_no % 1800)::integer as start_date
    from params
    cross join range(1, (select p.n_courses from params as p) + 1) as t (course_no)
)

select
    numbered.course_no,
    interventions.intervention_id,
    numbered.start_date,
    numbered.as_of_date,
    'C' || numbered.course_no as course_id,
    'P-' || lpad(numbered.course_no::varchar, 16, '0') as citizen_id,
    case when random() < 0.7 then numbered.start_date + 180 end as end_date
from numbered
inner join interventions
    on numbered.course_no % interventions.n_interventions = interventions.intervention_index
where numbered.start_date <= numbered.as_of_date;

insert into staging.citizens
select
    citizen_id,
    case when course_no % 2 = 0 then 'female' else 'male' end as gender,
    1950 + (course_no % 60)::integer as birth_year,
    'bench' as load_id,
    course_no as row_no
from bench_courses;

insert into staging.courses
select
    course_id,
    citizen_id,
    intervention_id,
    'standard' as variant,
    null as team_id,
    start_date,
    end_date,
    case
        when end_date is null then null
        when course_no % 5 = 0 then 'dropped_out'
        else 'completed_planned'
    end as end_reason,
    'bench' as load_id,
    course_no as row_no
from bench_courses;

create or replace temp table bench_forms as
select
    bench_courses.course_id,
    plan.instrument_id,
    plan.point_id,
    instruments.n_items,
    instruments.item_min,
    instruments.item_max,
    instruments.items_per_subject,
    bench_courses.course_id || ':' || plan.instrument_id || ':' || plan.point_id as form_id,
    case plan.anchor
        when 'start' then bench_courses.start_date
        else bench_courses.end_date
    end + plan.offset_days + (floor(random() * 11) - 5)::integer as measured_on
from bench_courses
inner join ref.measurement_plan as plan
    on bench_courses.intervention_id = plan.intervention_id
inner join ref.instruments as instruments on plan.instrument_id = instruments.instrument_id
where
    not instruments.is_goal_instrument
    and random() < 0.9
    and case plan.anchor
        when 'start' then bench_courses.start_date
        else bench_courses.end_date
    end + plan.offset_days <= bench_courses.as_of_date;

insert into staging.measurements by name  -- columns added later stay NULL
select
    bench_forms.form_id,
    bench_forms.course_id,
    bench_forms.instrument_id,
    bench_forms.measured_on,
    'staff1' as staff_id,
    null as rater_role,
    items.item_no,
    case
        when random() >= 0.02
            then
                bench_forms.item_min
                + floor(random() * (bench_forms.item_max - bench_forms.item_min + 1))
    end as value,  -- noqa: RF04
    null as note,
    'bench' as load_id,
    row_number() over () as row_no
from bench_forms
-- instruments whose items follow subjects (KiK) get three items
inner join range(1, 43) as items (item_no)
    on
        items.item_no
        <= case when bench_forms.items_per_subject then 3 else bench_forms.n_items end;

insert into staging.goals
select
    bench_courses.course_id || ':g' || g.goal_no as goal_id,
    bench_courses.course_id,
    areas.life_area_id,
    case when g.goal_no = 1 then 'progression' else 'maintenance' end as goal_type,
    bench_courses.start_date as set_on,
    1.0 as weight,
    null as description,
    'bench' as load_id,
    bench_courses.course_no * 2 + g.goal_no as row_no
from bench_courses
cross join range(1, 3) as g (goal_no)
inner join ref.life_areas as areas
    on (bench_courses.course_no + g.goal_no) % 5 + 1 = areas.area_order;

insert into staging.goal_ratings
with

rating_dates as (
    select
        course_id,
        start_date + 7 as rated_on
    from bench_courses
    union all
    select
        course_id,
        end_date as rated_on
    from bench_courses
    where end_date is not null
)

select
    goals.goal_id,
    rating_dates.rated_on,
    (floor(random() * 5) - 2)::integer as score,
    'staff1' as staff_id,
    'bench' as load_id,
    row_number() over () as row_no
from staging.goals as goals
inner join rating_dates on goals.course_id = rating_dates.course_id;
