// A deterministic contact-centre day for the end-to-end tests and screenshots: site
// configuration, roster and events (seeded PRNG, `now` a parameter). History is backdated,
// so a test stores it and restarts the server, whose rebuild replays today's events.
import { authHeaders } from '../helpers/server.js';
import { seeded } from '../helpers/random.js';
export interface DemoOptions {
  site: string;
  now: number;
  agents: number;
  queues: string[];
  /** Hours of call history before `now`. */
  hours: number;
  seed?: number;
  timezone?: string;
}

export interface Demo {
  config: Record<string, unknown>;
  roster: { agent: string; team: string; start: string; end: string; activity: string }[];
  events: Record<string, unknown>[];
  agentIds: string[];
  absent: string[];
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '涛',
  '明',
  '超',
];

export function buildDemo(o: DemoOptions): Demo {
  const rnd = seeded(o.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const iso = (ms: number) => new Date(ms).toISOString();
  const teams = ['A组', 'B组', 'C组', 'D组'].slice(
    0,
    Math.max(1, Math.min(4, Math.ceil(o.agents / 10))),
  );
  const agentIds = Array.from({ length: o.agents }, (_, i) => `a${String(i + 1).padStart(4, '0')}`);
  const teamOf = (i: number) => teams[i % teams.length] as string;
  const shiftStart = o.now - o.hours * 3600_000 - 10 * 60_000;
  const shiftEnd = o.now + 4 * 3600_000;
  // About 4% of the roster never signs in: attendance below 95% on purpose.
  const absent = agentIds.filter((_, i) => i % 25 === 3);

  const config = {
    timezone: o.timezone ?? 'Asia/Shanghai',
    interval_minutes: 15,
    queues: Object.fromEntries(
      o.queues.map((q, i) => [q, { threshold_s: 20, target: i === 0 ? 0.8 : 0.85 }]),
    ),
    display: { sl_warn: 0.9, waiting_warn: 4, waiting_alarm: 10 },
  };
  const roster = agentIds.flatMap((agent, i) => {
    // Breaks staggered over the last hour, but never before the shift has started.
    const breakAt = Math.max(shiftStart + 600_000, o.now - (i % 5) * 600_000 - 300_000);
    return [
      { agent, team: teamOf(i), start: iso(shiftStart), end: iso(breakAt), activity: 'work' },
      {
        agent,
        team: teamOf(i),
        start: iso(breakAt),
        end: iso(breakAt + 900_000),
        activity: 'break',
      },
      {
        agent,
        team: teamOf(i),
        start: iso(breakAt + 900_000),
        end: iso(shiftEnd),
        activity: 'work',
      },
    ];
  });

  const events: Record<string, unknown>[] = [];
  let n = 0;
  const ev = (ts: number, type: string, f: Record<string, unknown>) =>
    events.push({ id: `${o.site}-${++n}`, ts: Math.round(ts), type, site: o.site, ...f });
  const present = agentIds.filter((a) => !absent.includes(a));
  present.forEach((agent, i) => {
    const idx = agentIds.indexOf(agent);
    // Most sign in a few minutes early; every 9th is late (a conformance loss).
    const login = shiftStart + (i % 9 === 0 ? 12 * 60_000 : -3 * 60_000 + (i % 4) * 30_000);
    ev(login, 'agent.login', {
      agent,
      name: pick(SURNAMES) + pick(GIVEN) + (idx % 3 === 0 ? pick(GIVEN) : ''),
      team: teamOf(idx),
      queues: o.queues,
    });
    ev(login + 1000, 'agent.state', { agent, state: 'ready' });
  });

  // Calls: about one per agent every 8 minutes, split over the queues, with waits that
  // sometimes pass the 20 s threshold and some abandons.
  const histStart = o.now - o.hours * 3600_000;
  const calls = Math.round((o.agents * o.hours * 60) / 8);
  for (let c = 0; c < calls; c++) {
    const offered = histStart + rnd() * (o.hours * 3600_000 - 5 * 60_000);
    const queue = o.queues[Math.floor(Math.pow(rnd(), 1.5) * o.queues.length)] as string;
    const call = `${o.site}-c${c}`;
    const wait = Math.floor(Math.pow(rnd(), 2) * 70_000);
    ev(offered, 'call.offered', { call, queue });
    if (rnd() < 0.07) {
      ev(offered + wait, 'call.abandoned', { call, queue });
      continue;
    }
    const agent = pick(present);
    ev(offered + wait, 'call.answered', { call, queue, agent });
    const ended = offered + wait + 60_000 + rnd() * 300_000;
    // Nothing in the future: a call still in progress simply has no end yet.
    if (ended < o.now - 2000) ev(ended, 'call.ended', { call, queue, agent });
  }

  // The floor now: states set in the last minutes, so time-in-state reads naturally.
  const states = [
    'talking',
    'talking',
    'talking',
    'ready',
    'ready',
    'wrap_up',
    'hold',
    'not_ready',
    'outbound',
  ];
  const reasons = ['break', 'lunch', 'training', 'meeting', 'system'];
  present.forEach((agent, i) => {
    const state = states[i % states.length] as string;
    const at = o.now - 20_000 - rnd() * 900_000;
    ev(
      at,
      'agent.state',
      state === 'not_ready'
        ? { agent, state, reason: reasons[i % reasons.length] }
        : { agent, state },
    );
  });
  // Calls waiting now, in the first queue mostly.
  for (let w = 0; w < Math.max(3, Math.round(o.agents / 15)); w++) {
    const queue = w % 3 === 2 ? (o.queues[1] ?? (o.queues[0] as string)) : (o.queues[0] as string);
    ev(o.now - 15_000 - w * 9_000, 'call.offered', { call: `${o.site}-w${w}`, queue });
  }
  events.sort((a, b) => (a['ts'] as number) - (b['ts'] as number));
  return { config, roster, events, agentIds, absent };
}

/** Stores a demo through the real API: config, roster, then events in batches. */
export async function loadDemo(
  baseUrl: string,
  site: string,
  demo: Demo,
  opts: { roster?: boolean } = {},
): Promise<void> {
  const put = async (path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'PUT',
      headers: authHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  };
  await put(`/api/sites/${site}`, demo.config);
  if (opts.roster !== false) await put(`/api/sites/${site}/roster`, demo.roster);
  for (let i = 0; i < demo.events.length; i += 5000) {
    const body = demo.events
      .slice(i, i + 5000)
      .map((e) => JSON.stringify(e))
      .join('\n');
    const res = await fetch(`${baseUrl}/api/events`, {
      method: 'POST',
      headers: authHeaders({ 'content-type': 'application/x-ndjson' }),
      body,
    });
    const reply = (await res.json()) as { accepted: number; rejected: unknown[] };
    if (!res.ok || reply.rejected.length)
      throw new Error(`POST /api/events: ${res.status} ${JSON.stringify(reply).slice(0, 500)}`);
  }
}
