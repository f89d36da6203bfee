-- Satisfaction (满意度) per operating day and key (site or team): surveys, how many were
-- satisfied (the survey's yes/no, else score >= {sat_min}), and the sum and count of scores for
-- the mean. Team is the surveyed agent's team from its latest sign-in.
WITH
    {tz:String} AS tz,
    teams AS
    (
        SELECT agent, argMax(team, ts) AS last_team
        FROM {db}.events
        WHERE site = {site:String} AND type = 'agent.login' AND team != '' AND ts <= {now:DateTime64(3)}
        GROUP BY agent
    ),
    s AS
    (
        SELECT
            ts,
            JSONExtractString(raw, 'agent') AS agent,
            JSONHas(raw, 'score') AS has_score,
            JSONExtractInt(raw, 'score') AS score,
            if(JSONHas(raw, 'satisfied'), JSONExtractBool(raw, 'satisfied'), JSONHas(raw, 'score') AND JSONExtractInt(raw, 'score') >= {sat_min:Int32}) AS sat
        FROM {db}.events
        WHERE site = {site:String} AND type = 'call.survey'
          AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)} AND ts <= {now:DateTime64(3)}
    )
SELECT
    toString(toDate(addMinutes(toTimeZone(s.ts, tz), -{ds_min:Int32}))) AS date,
    if({by:String} = 'team', t.last_team, {site:String}) AS key,
    count() AS surveys,
    countIf(sat) AS satisfied,
    countIf(has_score) AS scored,
    sumIf(score, has_score) AS score_sum
FROM s
LEFT JOIN teams AS t ON t.agent = s.agent
GROUP BY date, key
ORDER BY date, key
