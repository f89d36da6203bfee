-- The newest version of each incident of a site that is open, or was resolved after {since}.
SELECT id, argMax(incident, saved_at) AS incident, argMax(resolved, saved_at) AS resolved, max(saved_at) AS last
FROM {db}.quality_incidents
WHERE site = {site:String}
GROUP BY id
HAVING resolved = 0 OR last >= {since:DateTime64(3)}
ORDER BY id
