-- How many events a site has stored, and how many distinct ids (equal when nothing was stored twice).
SELECT count() AS events, uniqExact(id) AS distinct_ids, countIf(late = 1) AS late
FROM {db}.events
WHERE site = {site:String}
