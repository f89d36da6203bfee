// The board's other pure helpers: CSV, agent arrangement and windowing, series sampling,
// report pooling, thresholds, backoff, routes and TV layout.
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../wallboard/src/lib/csv.js';
import { arrangeAgents, countByState, visibleRange } from '../../wallboard/src/lib/agents.js';
import { appendSample, seriesFor, type Sample } from '../../wallboard/src/lib/series.js';
import { daysBetween, pivot, poolIntervals, cellKey } from '../../wallboard/src/lib/reports.js';
import {
  slTone,
  waitingTone,
  standardTone,
  DEFAULT_DISPLAY,
} from '../../wallboard/src/lib/thresholds.js';
import { backoffMs } from '../../wallboard/src/lib/socket.js';
import { parseRoute, parseTv } from '../../wallboard/src/lib/route.js';
import { tvLayout } from '../../wallboard/src/lib/layout.js';
import { sortAlerts } from '../../wallboard/src/lib/alerts.js';
import type { AgentLive, AlertView } from '../../ingest/src/core/snapshot.js';
import type { IntervalRow } from '../../wallboard/src/lib/api.js';

const agent = (
  id: string,
  state: string,
  since: string,
  team = 't1',
  reason: string | null = null,
  stale = false,
): AgentLive => ({
  agent: id,
  name: id.toUpperCase(),
  team,
  state,
  reason,
  since,
  stale,
  current_call: null,
  calls_today: 0,
  adherence: 'in',
  out_of_adherence_s: 0,
  scheduled_activity: null,
});

describe('csv', () => {
  it('quotes commas, quotes and newlines, leaves nulls empty, starts with a BOM', () => {
    const rows = [
      { a: 'x,y', b: 1 },
      { a: 'say "hi"', b: null },
      { a: '班组\n二', b: 0.5 },
    ];
    const csv = toCsv(
      [
        { key: 'a', header: '名字', value: (r: (typeof rows)[number]) => r.a },
        { key: 'b', header: 'b', value: (r: (typeof rows)[number]) => r.b },
      ],
      rows,
    );
    expect(csv).toBe('\ufeff名字,b\r\n"x,y",1\r\n"say ""hi""",\r\n"班组\n二",0.5\r\n');
  });
});

describe('agents', () => {
  const list = [
    agent('a', 'talking', '2026-11-23T08:00:00Z'),
    agent('b', 'ready', '2026-11-23T08:05:00Z', 't2'),
    agent('c', 'not_ready', '2026-11-23T07:00:00Z', 't1', 'lunch'),
    agent('d', 'ready', '2026-11-23T07:30:00Z'),
    agent('e', 'ready', '2026-11-23T06:00:00Z', 't1', null, true),
    agent('f', 'logged_out', '2026-11-23T06:00:00Z'),
  ];
  it.each([
    ['state', null, ['d', 'b', 'a', 'c', 'f', 'e']],
    ['time', null, ['e', 'f', 'c', 'd', 'a', 'b']],
    ['name', 't2', ['b']],
  ] as const)('sort %s team %s', (sort, team, ids) => {
    const before = list.map((a) => a.agent);
    expect(arrangeAgents(list, { sort, team }).map((a) => a.agent)).toEqual(ids);
    expect(list.map((a) => a.agent)).toEqual(before);
  });
  it('counts signed-in agents by state, ghosts as stale, not ready', () => {
    expect(countByState(list)).toEqual([
      { state: 'ready', count: 2 },
      { state: 'talking', count: 1 },
      { state: 'not_ready', count: 1 },
      { state: 'stale', count: 1 },
    ]);
  });
  it.each([
    [0, 400, 20, 2000, 0, 25],
    [10_000, 400, 20, 2000, 495, 525],
    // Past the last possible scrollTop (39,600) the window is the list's end.
    [39_900, 400, 20, 2000, 1975, 2000],
    // The list shrank to 2 rows while scrolled far down: those 2 rows, not an empty window.
    [39_900, 400, 20, 2, 0, 2],
    [39_900, 400, 20, 30, 5, 30],
  ])('window at %s', (top, vp, rh, total, start, end) =>
    expect(visibleRange(top, vp, rh, total)).toEqual({ start, end }),
  );
});

describe('series', () => {
  const s = (at: number, within: number, den: number, waiting: number): Sample => ({
    at,
    queues: [
      { queue: 'q1', within, denominator: den, waiting, target: 0.8 },
      { queue: 'q2', within: 0, denominator: 0, waiting: 1, target: 0.8 },
    ],
  });
  it('drops samples older than the window and does not mutate', () => {
    const series = [s(0, 1, 1, 0), s(1000, 1, 1, 0)];
    const next = appendSample(series, s(5000, 1, 2, 3), 4500);
    expect(next.map((x) => x.at)).toEqual([1000, 5000]);
    expect(series.length).toBe(2);
  });
  it('pools queues by counts, not by averaging percentages', () => {
    const pts = seriesFor([s(0, 3, 4, 2)], null);
    expect(pts[0]).toEqual({ at: 0, service_level: 0.75, waiting: 3 });
    expect(seriesFor([s(0, 3, 4, 2)], 'q2')[0]?.service_level).toBeNull();
  });
});

describe('reports', () => {
  const row = (
    start: string,
    queue: string,
    within: number,
    answered: number,
    abandoned: number,
    short: number,
    sl: number | null,
  ): IntervalRow => ({
    interval_start: start,
    queue,
    offered: answered + abandoned,
    answered,
    answered_within_threshold: within,
    abandoned,
    short_abandoned: short,
    service_level: sl,
    asa_s: null,
    aht_s: null,
    answer_rate: null,
    expired: 0,
  });
  const rows = [
    row('2026-11-23T08:15:00Z', 'q1', 8, 10, 0, 0, 0.8),
    row('2026-11-23T08:00:00Z', 'q1', 1, 1, 1, 0, 0.5),
    row('2026-11-23T08:00:00Z', 'q2', 1, 1, 2, 1, 0.5),
  ];
  it('pools per interval in time order with SL from summed counts', () => {
    const p = poolIntervals(rows, null);
    expect(p.map((r) => [r.interval_start, r.offered, r.service_level])).toEqual([
      ['2026-11-23T08:00:00Z', 5, 2 / 4],
      ['2026-11-23T08:15:00Z', 10, 0.8],
    ]);
  });
  it('keeps the server SL for a single queue', () => {
    expect(poolIntervals(rows, 'q2').map((r) => r.service_level)).toEqual([0.5]);
  });
  it('pivots agent×day and lists days inclusively', () => {
    const m = pivot(
      [
        { key: 'a', date: '2026-11-02', v: 0.9 },
        { key: 'b', date: '2026-11-01', v: null },
      ],
      (r) => r.v,
    );
    expect(m.rows).toEqual(['a', 'b']);
    expect(m.cols).toEqual(['2026-11-01', '2026-11-02']);
    expect(m.cells.get(cellKey('a', '2026-11-02'))).toBe(0.9);
    expect(daysBetween('2026-10-30', '2026-11-02')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
  });
});

describe('thresholds and alerts', () => {
  it.each([
    [0.8, 0.8, 'ok'],
    [0.72, 0.8, 'warn'],
    [0.7199, 0.8, 'alarm'],
    [null, 0.8, 'none'],
  ] as const)('SL %s vs %s → %s', (v, t, tone) => expect(slTone(v, t, DEFAULT_DISPLAY)).toBe(tone));
  it.each([
    [4, 'ok'],
    [5, 'warn'],
    [15, 'alarm'],
  ] as const)('waiting %s → %s', (w, tone) => expect(waitingTone(w, DEFAULT_DISPLAY)).toBe(tone));
  it('grades standards', () => {
    expect(standardTone(0.95, 0.95)).toBe('ok');
    expect(standardTone(0.91, 0.95)).toBe('warn');
    expect(standardTone(0.5, 0.95)).toBe('alarm');
  });
  it('sorts red first, then oldest, and hides cleared', () => {
    const a = (
      id: string,
      level: AlertView['level'],
      raised: string,
      cleared: string | null = null,
    ): AlertView => ({
      id,
      site: 's',
      kind: 'k',
      level,
      queue: null,
      agent: null,
      team: null,
      raised_at: raised,
      acked_at: null,
      acked_by: null,
      ack_note: null,
      cleared_at: cleared,
      clear_reason: null,
      message: '',
      action: null,
    });
    const list = [
      a('1', 'yellow', '2026-11-23T08:00:00Z'),
      a('2', 'red', '2026-11-23T08:05:00Z'),
      a('3', 'red', '2026-11-23T08:01:00Z'),
      a('4', 'red', '2026-11-23T07:00:00Z', '2026-11-23T07:30:00Z'),
    ];
    expect(sortAlerts(list).map((x) => x.id)).toEqual(['3', '2', '1']);
  });
});

describe('socket, routes, layout', () => {
  it('backs off exponentially to a 10 s cap with jitter', () => {
    expect(backoffMs(0, 0.5)).toBe(500);
    expect(backoffMs(3, 0.5)).toBe(4000);
    expect(backoffMs(20, 0.5)).toBe(10_000);
    expect(backoffMs(20, 1)).toBe(12_500);
    expect(backoffMs(0, 0)).toBe(375);
  });
  it.each([
    ['/', { page: 'picker' }],
    ['/site/north', { page: 'board', site: 'north' }],
    ['/site/%E5%8C%97/history', { page: 'history', site: '北' }],
    ['/site/x/y', { page: 'not_found' }],
  ] as const)('route %s', (p, r) => expect(parseRoute(p)).toEqual(r));
  it('reads TV options with a 5 s floor on rotation', () => {
    expect(parseTv('?tv=1&rotate=30')).toEqual({ tv: true, rotateS: 30 });
    expect(parseTv('?tv=1&rotate=1')).toEqual({ tv: true, rotateS: 5 });
    expect(parseTv('?rotate=30')).toEqual({ tv: false, rotateS: null });
  });
  it('chooses a TV layout by size', () => {
    expect(tvLayout(2, 40)).toMatchObject({ density: 'large', queueCols: 2 });
    expect(tvLayout(6, 2000)).toMatchObject({ density: 'medium', queueCols: 4 });
    expect(tvLayout(20, 2000)).toMatchObject({ density: 'compact', queueCols: 6 });
    expect(tvLayout(1, 0).showAgents).toBe(false);
  });
});

describe('attention order', () => {
  const a = (
    id: string,
    state: string,
    since: string,
    adherence: AgentLive['adherence'] = 'in',
    out = 0,
  ): AgentLive => ({
    agent: id,
    name: id,
    team: 't',
    state,
    reason: null,
    since,
    stale: false,
    current_call: null,
    calls_today: 0,
    adherence,
    out_of_adherence_s: out,
    scheduled_activity: null,
  });
  it('leads with out of adherence (longest first), then long breaks/holds/wrap-ups, then the rest by state', () => {
    const list = [
      a('ready-old', 'ready', '2026-11-23T06:00:00Z'),
      a('break-new', 'not_ready', '2026-11-23T08:00:00Z'),
      a('out-short', 'ready', '2026-11-23T07:00:00Z', 'out', 200),
      a('break-old', 'not_ready', '2026-11-23T07:00:00Z'),
      a('out-long', 'talking', '2026-11-23T07:30:00Z', 'out', 900),
      a('talk', 'talking', '2026-11-23T07:00:00Z'),
    ];
    expect(arrangeAgents(list, { team: null, sort: 'attention' }).map((x) => x.agent)).toEqual([
      'out-long',
      'out-short',
      'break-old',
      'break-new',
      'ready-old',
      'talk',
    ]);
  });
});
