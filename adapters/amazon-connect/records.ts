// Agent event records out of the shapes they are found in: one record, an array of records,
// Kinesis records whose `data` (or `Data`) is base64 JSON (a Lambda event's `Records[].kinesis`
// too), or a Firehose delivery request (`records[].data`). Each comes with its position, so a
// bad one can be named.

export interface Decoded {
  records: { index: number; value: unknown }[];
  bad: { index: number; reason: string; raw: string }[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;

/** One base64 `data` field to the JSON record it carries. */
export function decodeData(data: string): { value: unknown } | { reason: string } {
  // Strict base64: Buffer.from() would skip bad characters silently.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data.replace(/\s+/g, '')))
    return { reason: 'data is not base64' };
  const text = Buffer.from(data, 'base64').toString('utf8');
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { reason: `data is not JSON: ${(e as Error).message}` };
  }
}

export function decodeRecords(input: unknown): Decoded {
  const out: Decoded = { records: [], bad: [] };
  const o = obj(input);
  const list: unknown[] = Array.isArray(input)
    ? input
    : Array.isArray(o?.['records'])
      ? (o['records'] as unknown[])
      : Array.isArray(o?.['Records'])
        ? (o['Records'] as unknown[])
        : [input];
  list.forEach((item, index) => {
    const it = obj(item);
    const wrapped = obj(it?.['kinesis']) ?? it;
    const data = wrapped?.['data'] ?? wrapped?.['Data'];
    if (typeof data === 'string' && !('EventType' in (wrapped ?? {}))) {
      const d = decodeData(data);
      if ('reason' in d) out.bad.push({ index, reason: d.reason, raw: data.slice(0, 4096) });
      else out.records.push({ index, value: d.value });
    } else out.records.push({ index, value: item });
  });
  return out;
}
