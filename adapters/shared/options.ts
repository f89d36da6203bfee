// Options every adapter command shares: the site, the server, and the site's ingest token
// (--token, or FLOORWATCH_TOKEN so it stays out of the process list and shell history).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { IANAZone } from 'luxon';

export class UsageError extends Error {
  readonly code = 'usage';
}

const SITE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function requireSite(v: string | undefined): string {
  if (!v) throw new UsageError('--site is required');
  if (!SITE.test(v))
    throw new UsageError(
      `--site "${v.slice(0, 80)}" may hold only letters, digits, "_", "." and "-" (1 to 64)`,
    );
  return v;
}

export function requireTarget(v: string | undefined): string {
  if (!v) throw new UsageError('--target is required (the server, e.g. http://localhost:8080)');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new UsageError(`--target "${v.slice(0, 200)}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError('--target must be an http:// or https:// URL');
  return v.replace(/\/+$/, '');
}

export function timezone(v: string | undefined): string {
  const z = v ?? 'UTC';
  if (!IANAZone.isValidZone(z))
    throw new UsageError(
      `--timezone "${z.slice(0, 80)}" is not an IANA time zone (e.g. Asia/Kolkata)`,
    );
  return z;
}

export function token(
  v: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return v ?? (env['FLOORWATCH_TOKEN'] || undefined);
}

/** `--agent-aliases FILE`: CSV `alias,agent`, one pair a row; a header row `alias,agent` is allowed. */
export function readAliases(file: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (!file) return m;
  const rows = parse(readFileSync(file, 'utf8'), {
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
  }) as string[][];
  rows.forEach((r, i) => {
    const [alias, agent] = r;
    if (i === 0 && alias?.toLowerCase() === 'alias' && agent?.toLowerCase() === 'agent') return;
    if (!alias || !agent || r.length !== 2)
      throw new UsageError(`${file} line ${i + 1}: expected two columns "alias,agent"`);
    if (agent.length > 64 || /[\u0000-\u001f]/.test(agent))
      throw new UsageError(
        `${file} line ${i + 1}: the agent id must be 1 to 64 characters without control characters`,
      );
    m.set(alias, agent);
  });
  return m;
}
