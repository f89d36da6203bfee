-- Stored events per site and UTC day (days since 1970-01-01): the start of the freshness
-- count of the stored report facts (ingest/src/core/event-days.ts). {site} '' counts every site.
SELECT site, toUInt32(toDate(ts)) AS day, count() AS n
FROM {db}.events
WHERE {site:String} = '' OR site = {site:String}
GROUP BY site, day
