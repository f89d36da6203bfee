// What changed between two JSON values, as a list of key paths with the value before and
// after (for the audit log's site-configuration entries). Pure; arrays of objects with an
// `id` (overflow rules) are compared by id, other arrays as whole values.
export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const byId = (v: unknown): v is { id: string }[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => isObj(x) && typeof x['id'] === 'string');

export function diffJson(before: unknown, after: unknown, path = '', out: Change[] = []): Change[] {
  if (isObj(before) && isObj(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)]))
      diffJson(before[k], after[k], path ? `${path}.${k}` : k, out);
    return out;
  }
  if ((byId(before) || byId(after)) && Array.isArray(before ?? []) && Array.isArray(after ?? [])) {
    const a = new Map(((before ?? []) as { id: string }[]).map((x) => [x.id, x]));
    const b = new Map(((after ?? []) as { id: string }[]).map((x) => [x.id, x]));
    for (const id of new Set([...a.keys(), ...b.keys()]))
      diffJson(a.get(id), b.get(id), `${path}[id=${id}]`, out);
    return out;
  }
  if (JSON.stringify(before) !== JSON.stringify(after))
    out.push({ path, before: before ?? null, after: after ?? null });
  return out;
}
