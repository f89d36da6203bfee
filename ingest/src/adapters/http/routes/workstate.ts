// Work-state management (工作状态管理, issue 24):
//   GET  /api/sites/{site}/work-state                   live: not-ready agents against their limits, caps, open requests
//   POST /api/sites/{site}/break-requests               a break request from the board {agent, reason?, minutes?}
//   POST /api/sites/{site}/break-requests/{id}/decision {decision: grant|defer|refuse, note?}: a lead of the agent's team
//   GET  /api/sites/{site}/break-requests?from&to       every step of the requests, who and when
//   GET  /api/reports/break-overruns?site&from&to[&agent][&explain=1][&format=csv]
//        time over the not-ready limits per agent and day, with the spans behind each figure
import {
  breakRequestSteps,
  overrunSpans,
  persistRequestChanges,
  type OverrunSpan,
} from '../../../../../queries/workstate.js';
import type { AppContext } from '../../../app-context.js';
import { toCsv } from '../../../core/report/csv.js';
import { DEFAULT_WORK_STATE, limitFor } from '../../../core/workstate/config.js';
import type { RequestChange, WorkStateModule } from '../../../core/workstate/engine.js';
import { actingUser, requireTeamLead } from '../lead-check.js';
import { isoInZone, parseRange } from '../range.js';
import { HttpError, jsonBody, requireParam, type Router } from '../router.js';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_OK = (s: unknown): s is string =>
  typeof s === 'string' && s.length >= 1 && s.length <= 64 && !/[\u0000-\u001f]/.test(s);

function site(v: string | undefined): string {
  if (!v || !SITE_RE.test(v))
    throw new HttpError(400, 'the site must be 1 to 64 letters, digits, "_", "." or "-"');
  return v;
}

export interface WorkStateRouteOptions {
  /** Stores request steps; defaults to a direct insert. */
  persist?: (site: string, changes: readonly RequestChange[]) => Promise<void>;
}

export function registerWorkStateRoutes(
  router: Router,
  ctx: AppContext,
  opts: WorkStateRouteOptions = {},
): void {
  const persist =
    opts.persist ??
    ((s: string, c: readonly RequestChange[]) => persistRequestChanges(ctx.store, s, c));
  const engine = (s: string): WorkStateModule => {
    const ws = ctx.sites.workState?.(s);
    if (!ws) throw new HttpError(503, 'work-state management is not running on this server');
    return ws;
  };
  const view = (s: string, r: RequestChange['request']) => {
    const tz = ctx.sites.config(s).timezone;
    return {
      ...r,
      requested_at: isoInZone(r.requested_at, tz),
      decided_at: r.decided_at === null ? null : isoInZone(r.decided_at, tz),
    };
  };

  router.add('GET', '/api/sites/:site/work-state', (req) => {
    const s = site(req.params['site']);
    const ws = engine(s);
    const cfg = ctx.sites.config(s);
    const wcfg = cfg.work_state ?? DEFAULT_WORK_STATE;
    const tz = cfg.timezone;
    const now = ctx.now();
    const overruns = new Map(ws.overruns(now).map((o) => [o.agent, o]));
    const not_ready = [...ws.agents()]
      .filter((a) => a.loggedIn && a.state === 'not_ready')
      .map((a) => {
        const lim = a.reason === null ? undefined : limitFor(wcfg, a.team, a.reason);
        const o = overruns.get(a.agent);
        return {
          agent: a.agent,
          team: a.team,
          reason: a.reason,
          since: isoInZone(a.since, tz),
          elapsed_s: Math.max(0, (now - a.since) / 1000),
          limit: lim ?? null,
          over_s: o ? o.over_s : 0,
          over: o !== undefined,
        };
      })
      .sort((x, y) => y.elapsed_s - x.elapsed_s);
    return {
      status: 200,
      body: {
        site: s,
        at: isoInZone(now, tz),
        limits_min: wcfg.limits_min,
        auto_grant: wcfg.auto_grant,
        not_ready,
        caps: ws.caps(now),
        requests: ws.requests().map((r) => view(s, r)),
      },
    };
  });

  router.add('POST', '/api/sites/:site/break-requests', async (req) => {
    const s = site(req.params['site']);
    const ws = engine(s);
    const body = jsonBody(req) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(
        400,
        'the body must be a JSON object {"agent": "...", "reason": "break", "minutes": 15}',
      );
    if (!NAME_OK(body['agent']))
      throw new HttpError(400, '"agent" is required: 1 to 64 characters');
    const reason = body['reason'] ?? 'break';
    if (!NAME_OK(reason)) throw new HttpError(400, '"reason" must be 1 to 64 characters');
    const minutes = body['minutes'];
    if (
      minutes !== undefined &&
      minutes !== null &&
      (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 480)
    ) {
      throw new HttpError(400, '"minutes" must be a whole number from 1 to 480');
    }
    const by = actingUser(req, body['by']);
    const changes = ws.request({
      agent: body['agent'],
      reason,
      minutes: (minutes as number | undefined) ?? null,
      source: 'board',
      by,
      at: ctx.now(),
    });
    if (changes.length === 0)
      throw new HttpError(409, `agent ${body['agent']} already has an open ${reason} request`);
    await persist(s, changes);
    ctx.sites.touch(s);
    return {
      status: 201,
      body: {
        request: view(s, changes[changes.length - 1]!.request),
        steps: changes.map((c) => ({
          action: c.action,
          by: c.by,
          at: isoInZone(c.at, ctx.sites.config(s).timezone),
        })),
      },
    };
  });

  router.add('POST', '/api/sites/:site/break-requests/:id/decision', async (req) => {
    const s = site(req.params['site']);
    const ws = engine(s);
    const id = req.params['id'] ?? '';
    const body = jsonBody(req) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(
        400,
        'the body must be a JSON object {"decision": "grant" | "defer" | "refuse", "note": "..."}',
      );
    const decision = body['decision'];
    if (decision !== 'grant' && decision !== 'defer' && decision !== 'refuse')
      throw new HttpError(400, '"decision" must be "grant", "defer" or "refuse"');
    const note = body['note'];
    if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 500))
      throw new HttpError(400, '"note" must be a string of at most 500 characters');
    const r = ws.get(id);
    if (!r) throw new HttpError(404, `no open break request "${id.slice(0, 100)}" on site ${s}`);
    const by = actingUser(req, body['by']);
    requireTeamLead(req, s, r.team, by, ctx.sites.config(s).work_state ?? DEFAULT_WORK_STATE);
    const changes = ws.decide(id, decision, by, ctx.now(), typeof note === 'string' ? note : null);
    if (changes.length === 0)
      throw new HttpError(409, `break request "${id.slice(0, 100)}" is already ${r.status}`);
    await persist(s, changes);
    ctx.sites.touch(s);
    return { status: 200, body: { request: view(s, changes[0]!.request) } };
  });

  router.add('GET', '/api/sites/:site/break-requests', async (req) => {
    const s = site(req.params['site']);
    const tz = ctx.sites.config(s).timezone;
    const { from, to } = parseRange(req.query, tz);
    const steps = await breakRequestSteps(ctx.store, s, from, to);
    return {
      status: 200,
      body: {
        site: s,
        from: isoInZone(from, tz),
        to: isoInZone(to, tz),
        rows: steps.map((x) => ({
          ...x,
          at: isoInZone(x.at, tz),
          requested_at: isoInZone(x.requested_at, tz),
        })),
      },
    };
  });

  router.add('GET', '/api/reports/break-overruns', async (req) => {
    const s = site(requireParam(req.query, 'site'));
    const cfg = ctx.sites.config(s);
    const tz = cfg.timezone;
    const { from, to } = parseRange(req.query, tz);
    const agent = req.query.get('agent');
    const [h, m] = cfg.day_start.split(':').map(Number);
    let spans = await overrunSpans(ctx.store, {
      site: s,
      from,
      to,
      now: ctx.now(),
      timezone: tz,
      dayStartMin: (h ?? 0) * 60 + (m ?? 0),
      config: cfg.work_state ?? DEFAULT_WORK_STATE,
    });
    if (agent) spans = spans.filter((x) => x.agent === agent);
    const rows = perAgentDay(spans);
    const format = req.query.get('format') ?? 'json';
    if (format === 'csv') {
      const csv = toCsv(
        ['date', 'agent', 'team', 'spans', 'overruns', 'over_s', 'longest_over_s'],
        rows.map((r) => [r.date, r.agent, r.team, r.spans, r.overruns, r.over_s, r.longest_over_s]),
      );
      return {
        status: 200,
        body: csv,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="break-overruns-${s}.csv"`,
        },
      };
    }
    if (format !== 'json') throw new HttpError(400, 'query parameter "format" must be json or csv');
    const explain = req.query.get('explain') === '1';
    return {
      status: 200,
      body: {
        site: s,
        timezone: tz,
        from: isoInZone(from, tz),
        to: isoInZone(to, tz),
        formula:
          'over_s = sum over the agent-day\'s not-ready runs in a limited reason of max(0, run length - limit); a run is from the state event to the next state event (or now); numeric limits only ("rostered" limits are judged live)',
        rows: rows.map((r) => ({
          ...r,
          ...(explain
            ? {
                explain: spans
                  .filter((x) => x.agent === r.agent && x.day === r.date)
                  .map((x) => ({
                    reason: x.reason,
                    start: isoInZone(x.start, tz),
                    end: isoInZone(x.end, tz),
                    limit_s: x.limit_s,
                    over_s: x.over_s,
                  })),
              }
            : {}),
        })),
      },
    };
  });
}

interface AgentDay {
  date: string;
  agent: string;
  team: string;
  /** Runs in a limited reason that day. */
  spans: number;
  overruns: number;
  over_s: number;
  longest_over_s: number;
}

function perAgentDay(spans: readonly OverrunSpan[]): AgentDay[] {
  const m = new Map<string, AgentDay>();
  for (const x of spans) {
    const k = `${x.day}\u0000${x.agent}`;
    let r = m.get(k);
    if (!r)
      m.set(
        k,
        (r = {
          date: x.day,
          agent: x.agent,
          team: x.team,
          spans: 0,
          overruns: 0,
          over_s: 0,
          longest_over_s: 0,
        }),
      );
    r.spans++;
    if (x.over_s > 0) {
      r.overruns++;
      r.over_s += x.over_s;
      r.longest_over_s = Math.max(r.longest_over_s, x.over_s);
    }
  }
  return [...m.values()].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0,
  );
}
