-- Every site that has ever sent an event (reads only the LowCardinality site column).
SELECT DISTINCT site
FROM {db}.events
ORDER BY site
