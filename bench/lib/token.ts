// The admin bearer token every bench server is started with (FLOORWATCH_ADMIN_TOKEN); the
// producers, boards and report calls send it. Random per bench process: nothing outside
// the bench knows it. Forked workers get it through their environment.
import { randomBytes } from 'node:crypto';

export const BENCH_ADMIN_TOKEN =
  process.env['FLOORWATCH_BENCH_TOKEN'] ||
  (process.env['FLOORWATCH_BENCH_TOKEN'] = randomBytes(24).toString('base64url'));

export const benchAuth = (extra: Record<string, string> = {}): Record<string, string> => ({
  Authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
  ...extra,
});
