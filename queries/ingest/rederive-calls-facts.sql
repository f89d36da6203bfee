-- calls_facts (migrations 0011, 0070, 0150) derived again from the events received since {since}:
-- the rows of an insert that a crash cut off between the events and its materialized views.
-- Same expressions as calls_facts_mv; min/max aggregates, so a row derived twice changes nothing.
-- Events are chosen by their stored receive time, never by part names (a merge renames parts).
INSERT INTO {db}.calls_facts
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
WHERE call != '' AND received_at >= {since:DateTime64(3)}
