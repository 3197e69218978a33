-- drlog reference query: the `episodes` table rebuilt from the exported `steps` with one GROUP BY.
-- Gives, per model, exactly what `drlog episodes --format json` prints (spec 6, EpisodeTable.Aggregate), cell for cell:
--   * time and dist are differences between consecutive rows of the model's whole step table, in its sort order
--     (unique_episode, steps), set to 0 on 'prepare' rows; the model's very first row has none (pandas' NaN, skipped);
--   * sums are taken in row order (list_reduce over one ordered list per episode), so float64 rounding is drlog's;
--     SUM() would add in any order and may differ in the last digit;
--   * NaN progress, reward and speed are skipped as pandas skips them (DuckDB's max() would return NaN);
--   * quintile is pandas.cut(unique_episode, 5) with the same edges (= episode with one worker).
-- Extra columns next to the CLI's: model, unique_episode and worker (the CLI prints the last two only for
-- multi-worker models). Run it with: drlog sql "$(cat docs/episodes-from-steps.sql)" --data EXPORT-DIR
WITH deltas AS (
    SELECT
        model, iteration, episode, unique_episode, worker, steps, closest_waypoint, progress, reward, speed,
        CASE WHEN episode_status = 'prepare' THEN 0
             ELSE tstamp - lag(tstamp) OVER w END AS dt,
        CASE WHEN episode_status = 'prepare' THEN 0
             ELSE sqrt((CAST(x AS DOUBLE) - lag(CAST(x AS DOUBLE)) OVER w) * (CAST(x AS DOUBLE) - lag(CAST(x AS DOUBLE)) OVER w)
                     + (CAST(y AS DOUBLE) - lag(CAST(y AS DOUBLE)) OVER w) * (CAST(y AS DOUBLE) - lag(CAST(y AS DOUBLE)) OVER w)) END AS dd
    FROM steps
    WINDOW w AS (PARTITION BY model ORDER BY unique_episode, steps)
),
sums AS (
    SELECT
        model,
        unique_episode,
        arg_min(iteration, steps) AS iteration,
        arg_min(episode, steps) AS episode,
        CAST(arg_min(worker, steps) AS INTEGER) AS worker,
        CAST(max(steps) - min(steps) + 1 AS INTEGER) AS steps,
        CAST(arg_min(closest_waypoint, steps) AS INTEGER) AS start_at,
        max(progress) FILTER (WHERE NOT isnan(progress)) AS progress,
        max(dt) FILTER (WHERE NOT isnan(dt)) AS step_time_max,
        count(dt) FILTER (WHERE NOT isnan(dt)) AS dt_count,
        count(*) FILTER (WHERE NOT isnan(speed)) AS speed_count,
        -- One ordered list per episode; the sums below add its values in row order.
        list({dt: dt, dd: dd, reward: reward, speed: CAST(speed AS DOUBLE)} ORDER BY steps) AS rows
    FROM deltas
    GROUP BY model, iteration, unique_episode
),
ordered AS (
    SELECT * EXCLUDE (rows),
        list_filter(list_transform(rows, r -> r.dt), v -> v IS NOT NULL AND NOT isnan(v)) AS dts,
        list_reduce(list_filter(list_transform(rows, r -> r.dd), v -> v IS NOT NULL AND NOT isnan(v)), (a, b) -> a + b, CAST(0 AS DOUBLE)) AS dist,
        list_reduce(list_filter(list_transform(rows, r -> r.reward), v -> NOT isnan(v)), (a, b) -> a + b, CAST(0 AS DOUBLE)) AS reward,
        list_reduce(list_filter(list_transform(rows, r -> r.speed), v -> NOT isnan(v)), (a, b) -> a + b, CAST(0 AS DOUBLE)) / nullif(speed_count, 0) AS speed
    FROM sums
),
totals AS (
    SELECT * EXCLUDE (dts),
        list_reduce(dts, (a, b) -> a + b, CAST(0 AS DOUBLE)) AS time,
        list_reduce(list_transform(dts, v -> v * v), (a, b) -> a + b, CAST(0 AS DOUBLE)) AS dt_sum_sq
    FROM ordered
),
bins AS (
    SELECT *,
        CAST(min(unique_episode) OVER (PARTITION BY model) AS DOUBLE) AS mn,
        CAST(max(unique_episode) OVER (PARTITION BY model) AS DOUBLE) AS mx
    FROM totals
)
SELECT
    model,
    iteration,
    episode,
    steps,
    start_at,
    progress,
    time,
    dist,
    reward AS new_reward,
    speed,
    reward,
    time * 100 / progress AS time_if_complete,
    reward * 100 / progress AS reward_if_complete,
    -- Edges k * (mx - mn) / 5 + mn; every value is above the first edge and at most mx, so the first bin whose upper
    -- edge it does not exceed is its bin. All episodes on one number fall in the middle bin, as pandas puts them.
    CASE WHEN mn = mx THEN '3rd'
         WHEN unique_episode <= (CAST(1 AS DOUBLE) * ((mx - mn) / 5)) + mn THEN '1st'
         WHEN unique_episode <= (CAST(2 AS DOUBLE) * ((mx - mn) / 5)) + mn THEN '2nd'
         WHEN unique_episode <= (CAST(3 AS DOUBLE) * ((mx - mn) / 5)) + mn THEN '3rd'
         WHEN unique_episode <= (CAST(4 AS DOUBLE) * ((mx - mn) / 5)) + mn THEN '4th'
         ELSE '5th' END AS quintile,
    CASE WHEN progress = 100 THEN 1 ELSE 0 END AS complete,
    unique_episode,
    worker,
    time / nullif(dt_count, 0) AS step_time_mean,
    step_time_max,
    CASE WHEN dt_count < 2 THEN NULL
         ELSE sqrt(greatest(0, (dt_sum_sq - (time * time / dt_count)) / (dt_count - 1))) END AS step_time_std
FROM bins
ORDER BY model, unique_episode
