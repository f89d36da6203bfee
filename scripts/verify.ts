// npm run verify -- --target BASE_URL --site S --from D1 --to D2 [--report intervals|conformance|adherence|attendance] [--token T]
// Asks a running Floorwatch (which owns its data folder) to recompute the history reports of
// the operating days D1..D2 (inclusive) from the raw events, compared with what its report
// routes serve (GET /api/reports/verify). Prints every mismatch (day, key, field, served,
// recomputed) and exits 1 when there is any, 2 on a usage or connection error, else 0.
// The token (sent as Authorization: Bearer) comes from --token or FLOORWATCH_TOKEN.
import { parseArgs } from 'node:util';

const USAGE =
  'usage: npm run verify -- --target BASE_URL --site S --from YYYY-MM-DD --to YYYY-MM-DD [--report intervals,conformance,adherence,attendance] [--token T]';

interface Mismatch {
  report: string;
  day: string;
  key: string;
  field: string;
  served: unknown;
  recomputed: unknown;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        target: { type: 'string' },
        site: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        report: { type: 'string' },
        token: { type: 'string' },
      },
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n${USAGE}`);
  }
})();
const { target, site, from, to } = values;
if (!target || !site || !from || !to) fail(USAGE);
const day = /^\d{4}-\d{2}-\d{2}$/;
if (!day.test(from) || !day.test(to))
  fail(`--from and --to are operating days, YYYY-MM-DD\n${USAGE}`);
// --to is inclusive here; the API's range is exclusive.
const end = new Date(`${to}T00:00:00Z`);
end.setUTCDate(end.getUTCDate() + 1);
const query = new URLSearchParams({ site, from, to: end.toISOString().slice(0, 10) });
if (values.report) query.set('report', values.report);
const token = values.token ?? process.env['FLOORWATCH_TOKEN'];
const url = `${target.replace(/\/+$/, '')}/api/reports/verify?${query}`;

let res: Response;
try {
  res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
} catch (e) {
  fail(`cannot reach ${target}: ${(e as Error).message}`);
}
const body = (await res.json().catch(() => ({}))) as {
  error?: string;
  rows?: Record<string, number>;
  mismatches?: Mismatch[];
};
if (!res.ok || !body.mismatches)
  fail(`${url} answered ${res.status}: ${body.error ?? 'no verify result'}`);

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
for (const m of body.mismatches) {
  process.stdout.write(
    `MISMATCH ${m.report} day=${m.day} key=${m.key} field=${m.field} served=${show(m.served)} recomputed=${show(m.recomputed)}\n`,
  );
}
const checked = Object.entries(body.rows ?? {})
  .map(([k, n]) => `${k} ${n}`)
  .join(', ');
process.stdout.write(
  `${body.mismatches.length} mismatches (site ${site}, ${from}..${to}; rows checked: ${checked || 'none'})\n`,
);
process.exit(body.mismatches.length > 0 ? 1 : 0);
