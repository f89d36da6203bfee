// Roster and excused-time API: PUT /api/sites/{site}/roster (CSV or JSON; the whole upload
// is rejected if any row is bad; ?dry_run=1 checks it and stores nothing), GET
// /api/sites/{site}/roster?date, POST /api/sites/{site}/excused, and GET
// /api/live/workforce?site (the live engine's figures).
// After storing, the change is pushed into the site's live engine and the board republishes.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../../app-context.js';
import type { WorkforceModule } from '../../../core/modules.js';
import {
  nextDay,
  operatingDay,
  parseExcused,
  parseRoster,
  RosterFormatError,
  type RowError,
  type WorkforceEngine,
} from '../../../core/workforce/index.js';
import { rosterHistory } from '../../../../../queries/index.js';
import {
  insertExcused,
  insertRoster,
  readExcused,
  readRoster,
} from '../../clickhouse/workforce-store.js';
import { isoInZone } from '../range.js';
import { HttpError, jsonBody, requireParam, type ApiRequest, type Router } from '../router.js';
import { actingAs, requireTeams } from '../caller.js';

const SITE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function siteParam(v: string | undefined): string {
  if (!v || !SITE.test(v))
    throw new HttpError(
      400,
      'the site may hold only letters, digits, "_", "." and "-" (1 to 64 characters)',
    );
  return v;
}

const prevDay = (d: string): string =>
  new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function rejected(errors: RowError[], what: string) {
  return {
    status: 400,
    body: {
      error: `the ${what} was rejected: ${errors.length} error(s) in ${new Set(errors.map((e) => e.row)).size} row(s); nothing was stored. Fix the rows listed in "errors" and send the whole ${what} again.`,
      accepted: 0,
      replaced_agent_days: 0,
      errors,
    },
  };
}

const isEngine = (m: WorkforceModule | undefined): m is WorkforceEngine =>
  !!m && typeof (m as Partial<WorkforceEngine>).live === 'function';

/** Agents' teams as the live side knows them today (the board's agents and today's roster). */
function teamsOfAgents(ctx: AppContext, site: string, now: number): Map<string, string> {
  const teams = new Map<string, string>();
  for (const a of ctx.sites.workforce(site)?.rosteredAgents(now) ?? [])
    if (a.team) teams.set(a.agent, a.team);
  for (const a of ctx.sites.snapshot(site, now).agents) if (a.team) teams.set(a.agent, a.team);
  return teams;
}

/** Each span's entered_by is the caller's name unless an admin or ingest token names someone. */
function signedBy(req: ApiRequest, body: unknown): unknown {
  const one = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return {
      ...o,
      entered_by:
        actingAs(req, typeof o['entered_by'] === 'string' ? o['entered_by'] : undefined) ??
        o['entered_by'],
    };
  };
  return Array.isArray(body) ? body.map(one) : one(body);
}

export function registerRosterRoutes(router: Router, ctx: AppContext): void {
  router.add('PUT', '/api/sites/:site/roster', async (req) => {
    const site = siteParam(req.params['site']);
    const cfg = ctx.sites.config(site);
    const type = req.headers['content-type'] ?? '';
    let parsed;
    try {
      parsed = parseRoster(req.body, type, cfg);
    } catch (e) {
      if (e instanceof RosterFormatError) throw new HttpError(400, e.message);
      throw e;
    }
    if (parsed.errors.length) return rejected(parsed.errors, 'roster');
    if (parsed.segments.length === 0)
      throw new HttpError(
        400,
        'the roster has no rows: send a header row and one row per segment (agent, team, start, end, activity)',
      );
    const days = parsed.agentDays.map((a) => a.day).sort();
    const first = days[0] as string;
    const last = days[days.length - 1] as string;
    // The roster in force around the upload: which agent-days it replaces, and segments of
    // neighbouring days it must not overlap (a night shift and the next morning).
    const existing = await readRoster(ctx.store, site, prevDay(first), nextDay(last));
    const uploaded = new Set(parsed.agentDays.map((a) => `${a.agent}\u0000${a.day}`));
    const replaced = new Set(
      existing.map((s) => `${s.agent}\u0000${s.day}`).filter((k) => uploaded.has(k)),
    );
    // Indexed by agent: a 120k-row upload next to a stored 120k-row day must not compare every pair.
    const kept = new Map<string, typeof existing>();
    for (const s of existing) {
      if (uploaded.has(`${s.agent}\u0000${s.day}`)) continue;
      const l = kept.get(s.agent);
      if (l) l.push(s);
      else kept.set(s.agent, [s]);
    }
    const errors: RowError[] = [];
    parsed.segments.forEach((s, i) => {
      const clash = kept.get(s.agent)?.find((k) => k.start < s.end && s.start < k.end);
      if (clash)
        errors.push({
          row: parsed.rows[i] as number,
          field: 'start',
          error: `overlaps the stored roster of "${s.agent}" for ${clash.day} (${isoInZone(clash.start, cfg.timezone)} to ${isoInZone(clash.end, cfg.timezone)}); upload that day too`,
        });
    });
    if (errors.length) return rejected(errors, 'roster');
    // ?dry_run=1: every check above, nothing stored (the settings page previews an upload).
    if (req.query.get('dry_run') === '1')
      return {
        status: 200,
        body: {
          dry_run: true,
          accepted: parsed.segments.length,
          agent_days: parsed.agentDays.length,
          replaced_agent_days: replaced.size,
          errors: [],
        },
      };
    const now = ctx.now();
    const up = await insertRoster(
      ctx.store,
      site,
      parsed.segments,
      parsed.agentDays,
      replaced.size,
      now,
      /csv/i.test(type) ? 'csv' : 'json',
    );
    ctx.sites.workforce(site)?.setRoster(parsed.segments, parsed.agentDays);
    ctx.sites.touch(site);
    return {
      status: 200,
      body: {
        accepted: parsed.segments.length,
        agent_days: parsed.agentDays.length,
        replaced_agent_days: replaced.size,
        upload_id: up.upload_id,
        errors: [],
      },
      audit: [
        {
          site,
          action: 'roster.upload',
          target: up.upload_id,
          detail: {
            segments: parsed.segments.length,
            agent_days: parsed.agentDays.length,
            replaced_agent_days: replaced.size,
            agents: [...new Set(parsed.segments.map((s) => s.agent))].slice(0, 200),
          },
        },
      ],
    };
  });

  router.add('GET', '/api/sites/:site/roster', async (req) => {
    const site = siteParam(req.params['site']);
    const cfg = ctx.sites.config(site);
    const date = req.query.get('date') ?? operatingDay(ctx.now(), cfg.timezone, cfg.day_start);
    if (!DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      throw new HttpError(
        400,
        `query parameter "date" must be YYYY-MM-DD, got "${date.slice(0, 20)}"`,
      );
    const segs = await readRoster(ctx.store, site, date, date);
    return {
      status: 200,
      body: {
        site,
        date,
        timezone: cfg.timezone,
        segments: segs.map((s) => ({
          agent: s.agent,
          team: s.team,
          start: isoInZone(s.start, cfg.timezone),
          end: isoInZone(s.end, cfg.timezone),
          activity: s.activity,
          day: s.day,
        })),
      },
    };
  });

  // Additive to API v1: the change history of a day's roster (every upload of each agent's day).
  router.add('GET', '/api/sites/:site/roster/history', async (req) => {
    const site = siteParam(req.params['site']);
    const cfg = ctx.sites.config(site);
    const date = requireParam(req.query, 'date');
    if (!DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      throw new HttpError(
        400,
        `query parameter "date" must be YYYY-MM-DD, got "${date.slice(0, 20)}"`,
      );
    const rows = await rosterHistory(ctx.store, { site, day: date });
    const tz = cfg.timezone;
    return {
      status: 200,
      body: {
        site,
        date,
        versions: rows.map((r) => ({
          agent: r.agent,
          upload_id: r.upload_id,
          uploaded_at: isoInZone(r.uploaded_at_ms, tz),
          segments: r.segments,
          first_start: isoInZone(r.first_start_ms, tz),
          last_end: isoInZone(r.last_end_ms, tz),
          in_force: r.in_force,
        })),
      },
    };
  });

  router.add('POST', '/api/sites/:site/excused', async (req) => {
    const site = siteParam(req.params['site']);
    const cfg = ctx.sites.config(site);
    const body = signedBy(req, jsonBody(req));
    const now = ctx.now();
    // First pass without stored spans to learn the range and agents, then check against the store.
    const first = parseExcused(body, cfg, now, () => '');
    if (first.errors.length) return rejected(first.errors, 'excused time');
    if (first.spans.length === 0)
      throw new HttpError(
        400,
        'send one object or an array of {agent, start, end, reason, entered_by}',
      );
    if (req.access?.rule.team) {
      const teams = teamsOfAgents(ctx, site, now);
      requireTeams(
        req,
        site,
        [...new Set(first.spans.map((s) => teams.get(s.agent) ?? null))],
        'enter excused time',
      );
    }
    const from = Math.min(...first.spans.map((s) => s.start));
    const to = Math.max(...first.spans.map((s) => s.end));
    const existing = await readExcused(ctx.store, site, from, to, [
      ...new Set(first.spans.map((s) => s.agent)),
    ]);
    const parsed = parseExcused(body, cfg, now, () => randomUUID(), existing);
    if (parsed.errors.length) return rejected(parsed.errors, 'excused time');
    await insertExcused(ctx.store, site, parsed.spans);
    ctx.sites.workforce(site)?.addExcused(parsed.spans);
    ctx.sites.touch(site);
    return {
      status: 200,
      body: { accepted: parsed.spans.length, ids: parsed.spans.map((s) => s.id), errors: [] },
      audit: [
        {
          site,
          action: 'excused.add',
          target: parsed.spans
            .map((s) => s.agent)
            .join(',')
            .slice(0, 200),
          detail: {
            spans: parsed.spans.slice(0, 200).map((s) => ({
              id: s.id,
              agent: s.agent,
              start: isoInZone(s.start, cfg.timezone),
              end: isoInZone(s.end, cfg.timezone),
              reason: s.reason,
              entered_by: s.entered_by,
            })),
          },
        },
      ],
    };
  });

  router.add('GET', '/api/live/workforce', (req) => {
    const site = siteParam(requireParam(req.query, 'site'));
    const eng = ctx.sites.workforce(site);
    if (!isEngine(eng)) throw new HttpError(404, `no live workforce engine for site "${site}"`);
    const now = ctx.now();
    const tz = ctx.sites.config(site).timezone;
    const live = eng.live(now);
    return {
      status: 200,
      body: {
        site,
        at: isoInZone(now, tz),
        date: live.day,
        agents: live.agents.map((f) => {
          const adh = eng.agentAdherence(f.agent, now);
          return {
            agent: f.agent,
            team: f.team,
            scheduled_s: f.scheduled_ms / 1000,
            logged_in_s: f.logged_in_ms / 1000,
            excused_s: f.excused_ms / 1000,
            conformance: f.scheduled_ms > 0 ? f.logged_in_ms / f.scheduled_ms : null,
            late_sign_in: f.late_sign_in,
            early_sign_out: f.early_sign_out,
            scheduled: f.scheduled,
            attended: f.attended,
            adherence_scheduled_s: f.adherence_scheduled_ms / 1000,
            in_adherence_s: f.in_adherence_ms / 1000,
            adherence:
              f.adherence_scheduled_ms > 0 ? f.in_adherence_ms / f.adherence_scheduled_ms : null,
            adherence_status: adh.adherence,
            out_of_adherence_s: adh.out_of_adherence_s,
            scheduled_activity: adh.scheduled_activity,
          };
        }),
        teams: live.teams,
        site_figures: live.site_figures,
      },
    };
  });
}
