// Some Agent Event Stream records reach us re-serialised with the string "null" where JSON
// null belongs (one sample does: a Python dict written back out). They are read as null,
// and the paths where that happened are reported so the log can warn about the producer.

/** A deep copy of `v` with every "null" string replaced by null, and the paths replaced. */
export function nullStrings(
  v: unknown,
  path = '',
  found: string[] = [],
): { value: unknown; paths: string[] } {
  if (v === 'null') {
    found.push(path || '(record)');
    return { value: null, paths: found };
  }
  if (Array.isArray(v))
    return { value: v.map((x, i) => nullStrings(x, `${path}[${i}]`, found).value), paths: found };
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = nullStrings(x, path ? `${path}.${k}` : k, found).value;
    return { value: out, paths: found };
  }
  return { value: v, paths: found };
}
