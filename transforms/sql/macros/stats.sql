-- Statistical helpers shared by the aggregated marts (scalar macros).
--
-- confidence_z(): the normal quantile of the 95 % intervals (ref.settings, 1.96).
-- mean_ci_low / mean_ci_high: interval of a mean by the normal approximation,
--   mean -/+ z * sd / sqrt(n). With few citizens this is narrower than the t-based
--   interval (n = 5: about 30 % narrower); read it as a rough guide. NULL when n < 2.
-- wilson_low / wilson_high: Wilson score interval of a share x / n (NULL when n = 0).
-- count_citizens(citizen_id, is_repeat_citizen): distinct citizens in a group (an
--   aggregate). Exact: most citizens have one course per intervention, so only the rows
--   of citizens with several courses in it (int_courses.is_repeat_citizen) need the
--   slower distinct count. Valid for groups within one intervention.

create or replace macro confidence_z() as (
    select s.confidence_z from ref.settings as s
);

create or replace macro mean_ci_low(mean_value, sd_value, n) as
case when n >= 2 then mean_value - confidence_z() * sd_value / sqrt(n) end;

create or replace macro mean_ci_high(mean_value, sd_value, n) as
case when n >= 2 then mean_value + confidence_z() * sd_value / sqrt(n) end;

create or replace macro wilson_bound(x, n, z, side) as
case
    when n > 0
        then (
            x / n + z * z / (2 * n)
            + side * z * sqrt((x / n) * (1 - x / n) / n + z * z / (4 * n * n))
        ) / (1 + z * z / n)
end;

create or replace macro wilson_low(x, n) as wilson_bound(
    x, n, confidence_z(), -1
);

create or replace macro wilson_high(x, n) as wilson_bound(
    x, n, confidence_z(), 1
);

create or replace macro count_citizens(citizen_id, is_repeat_citizen) as
count(*) filter (where not is_repeat_citizen)
+ count(distinct citizen_id) filter (where is_repeat_citizen);
