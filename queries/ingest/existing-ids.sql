-- Which of these ids are already stored for the site, within the event-time range of the
-- batch (the primary key (site, ts) keeps this to a few granules).
SELECT DISTINCT id
FROM {db}.events
WHERE site = {site:String}
  AND ts >= {lo:DateTime64(3)} AND ts <= {hi:DateTime64(3)}
  AND id IN {ids:Array(String)}
