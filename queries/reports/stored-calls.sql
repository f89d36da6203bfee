-- The per-call facts kept at insert time (calls_facts, migrations 0011, 0150): the {calls} source
-- of intervals-facts.sql for stored days and the report.
SELECT site, day, call, off_ts, end_ev, ans_ts, ed_ev, wq_ev
FROM {db}.calls_facts
