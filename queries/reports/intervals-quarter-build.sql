-- Sums the stored interval facts of one UTC day's build `version` per UTC quarter hour and
-- queue into interval_quarters (0013); run by queries/index.ts after intervals-fact-build.sql
-- and before the version is recorded in interval_fact_days. Same sums as 0013's back-fill,
-- plus the expired calls (facts of kind 2, migration 0150).
INSERT INTO {db}.interval_quarters (site, day, version, q_ms, queue, offered, answered, abandoned,
                                    wait_sum_ms, handled, handle_sum_ms, answered_waits, abandoned_waits, expired)
SELECT
    site,
    day,
    version,
    intDiv(toUnixTimestamp64Milli(t), 900000) * 900000 AS q_ms,
    queue,
    countIf(k = 0),
    countIf(k = 0 AND is_answered),
    countIf(k = 0 AND NOT is_answered),
    sumIf(wait_ms, k = 0 AND is_answered),
    countIf(k = 1),
    sumIf(handle_ms, k = 1),
    arraySort(groupArrayIf(wait_ms, k = 0 AND is_answered)),
    arraySort(groupArrayIf(wait_ms, k = 0 AND NOT is_answered)),
    countIf(k = 2)
FROM {db}.interval_facts
WHERE site = {site:String} AND day = {day:Date} AND version = {version:DateTime64(3)}
GROUP BY site, day, version, q_ms, queue
