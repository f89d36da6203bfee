-- Which of these ids are already stored for the site, whatever their event time: an id is
-- unique per site, and a resend may carry a different ts (the id's bloom filter index skips
-- granules that cannot hold them).
SELECT DISTINCT id
FROM {db}.events
WHERE site = {site:String}
  AND id IN {ids:Array(String)}
