-- Stores the interval facts of one closed UTC day [ev_from, ev_to) as build `version`
-- (queries/index.ts then sums them per quarter hour and records the version in
-- interval_fact_days, with the count of events its days held when it began).
INSERT INTO {db}.interval_facts (site, day, version, k, queue, t, is_answered, wait_ms, handle_ms)
SELECT {site:String}, toDate({ev_from:DateTime64(3)}), {version:DateTime64(3)}, k, queue, t, is_answered, wait_ms, handle_ms
FROM
(
    {facts}
)
