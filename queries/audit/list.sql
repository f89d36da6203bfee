-- Audit entries of some sites (or all) in [from, to), newest first.
SELECT toUnixTimestamp64Milli(at) AS at_ms, site, actor, actor_kind, action, target, detail, address
FROM {db}.audit_log
WHERE at >= {from:DateTime64(3)} AND at < {to:DateTime64(3)}
  AND ({all:UInt8} = 1 OR site IN {sites:Array(String)})
ORDER BY at DESC
LIMIT {limit:UInt32}
