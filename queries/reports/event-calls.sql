-- The columns of calls_facts computed from the raw events, with the expressions of its
-- materialized view (migrations 0011, 0150): the {calls} source of intervals-facts.sql when a
-- report is recomputed from events alone (verify, tests), trusting no derived table.
SELECT
    site,
    toDate(ts) AS day,
    call,
    if(type = 'call.offered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS off_ts,
    if(type IN ('call.answered', 'call.abandoned'), tuple(ts, id, toString(type), toString(queue)), tuple(toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '', '', '')) AS end_ev,
    if(type = 'call.answered', ts, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS ans_ts,
    if(type = 'call.ended', tuple(ts, id, toString(queue), agent), tuple(toDateTime64(0, 3, 'UTC'), '', '', '')) AS ed_ev,
    if(type IN ('call.offered', 'call.overflowed'), tuple(ts, id, if(type = 'call.overflowed', to_queue, toString(queue))), tuple(toDateTime64(0, 3, 'UTC'), '', '')) AS wq_ev
FROM {db}.events
WHERE call != ''
