// Agent names in queue_log to one stable agent id. A member appears as an interface
// (`SIP/551`, `PJSIP/400`, `Local/551@from-queue/n`, `Agent/1127`), as a realtime member
// string (`LOCAL/551@default/n,0,551,hint:5`), or by its member name (`Paty Marin`); with
// log_membername_as_agent a PBX may log one member both ways. The rule:
//   1. an alias (from --agent-aliases) for the text as logged wins;
//   2. otherwise: keep what is before the first ",", drop a leading technology ("SIP/"),
//      then keep what is before the first "@" or "/"; a name without "/" stays as it is;
//   3. an alias for that stripped id wins over it.

/** `alias → agent` pairs, e.g. from a CSV file `alias,agent`. */
export type AgentAliases = ReadonlyMap<string, string>;

const TECH = /^[A-Za-z][A-Za-z0-9_]*$/;

export function stripInterface(raw: string): string {
  let s = raw.trim();
  const comma = s.indexOf(',');
  if (comma >= 0) s = s.slice(0, comma);
  const slash = s.indexOf('/');
  if (slash > 0 && TECH.test(s.slice(0, slash))) {
    s = s.slice(slash + 1);
    const cut = s.search(/[@/]/);
    if (cut >= 0) s = s.slice(0, cut);
  }
  s = s.trim();
  return s === '' ? raw.trim() : s;
}

/** The agent id for a logged agent field, or null for `NONE` / empty. */
export function agentId(raw: string, aliases: AgentAliases): string | null {
  const t = raw.trim();
  if (t === '' || t === 'NONE') return null;
  const direct = aliases.get(t);
  if (direct !== undefined) return direct;
  const stripped = stripInterface(t);
  return aliases.get(stripped) ?? stripped;
}
