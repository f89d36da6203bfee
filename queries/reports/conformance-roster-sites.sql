-- Sites with a roster for operating days on or after from_day: the restart rebuild hydrates
-- them too, so a site with a roster but no recent events still lists who is missing.
SELECT DISTINCT site
FROM {db}.roster_segments
WHERE day >= {from_day:Date}
ORDER BY site
