// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function, top frames first,
// so a figure that falls short comes with what the server spent its CPU on.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './proc.js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  fn: string;
  where: string;
  selfPct: number;
}

export function topFrames(dir: string, n = 12): Frame[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) return [];
  const p = JSON.parse(readFileSync(path.join(dir, files[0] as string), 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((nd) => [nd.id, nd]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const nd = byId.get(id);
    // Idle time is the event loop waiting, not work: leave it out of the shares.
    if (!nd || nd.callFrame.functionName === '(idle)') return;
    total += dt;
    const cf = nd.callFrame;
    const rel = cf.url.startsWith('file://') ? path.relative(ROOT, cf.url.slice(7)) : cf.url;
    const where = rel ? `${rel}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName}|${where}`;
    const e = self.get(key) ?? { fn: cf.functionName || '(anonymous)', where, us: 0 };
    e.us += dt;
    self.set(key, e);
  });
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((e) => ({ fn: e.fn, where: e.where, selfPct: (100 * e.us) / (total || 1) }));
}

/** Self time per source file (node_modules packages grouped), top first. */
export function topFiles(dir: string, n = 8): Frame[] {
  const by = new Map<string, number>();
  let total = 0;
  for (const f of topFrames(dir, 100_000)) {
    const file =
      f.where
        .replace(/:\d+$/, '')
        .replace(/^node_modules\/((@[^/]+\/)?[^/]+)\/.*/, 'node_modules/$1') || f.fn;
    by.set(file, (by.get(file) ?? 0) + f.selfPct);
    total += f.selfPct;
  }
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([where, pct]) => ({ fn: where, where: '', selfPct: (100 * pct) / (total || 1) }));
}

export function framesText(frames: Frame[]): string {
  return frames
    .map((f) => `  - ${f.selfPct.toFixed(1)}% ${f.fn}${f.where ? ` (${f.where})` : ''}`)
    .join('\n');
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Live bytes per allocating function from a sampling heap profile (node --heap-prof). */
export function topAllocations(dir: string, n = 12): { frames: Frame[]; totalMiB: number } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.heapprofile'));
  if (!files.length) return { frames: [], totalMiB: 0 };
  const p = JSON.parse(readFileSync(path.join(dir, files[0] as string), 'utf8')) as {
    head: HeapNode;
  };
  const by = new Map<string, { fn: string; where: string; bytes: number }>();
  let total = 0;
  const walk = (nd: HeapNode, caller: { fn: string; where: string }) => {
    const cf = nd.callFrame;
    const rel = cf.url.startsWith('file://') ? path.relative(ROOT, cf.url.slice(7)) : cf.url;
    let where = rel ? `${rel}:${cf.lineNumber + 1}` : '';
    let fn = cf.functionName || '(anonymous)';
    // A built-in (Map, splice, …) says nothing alone: name the code that called it.
    if (!where && caller.where) {
      fn = `${fn} ← ${caller.fn}`;
      where = caller.where;
    }
    const key = `${fn}|${where}`;
    const e = by.get(key) ?? { fn, where, bytes: 0 };
    e.bytes += nd.selfSize;
    total += nd.selfSize;
    by.set(key, e);
    const next = rel ? { fn: cf.functionName || '(anonymous)', where } : caller;
    for (const c of nd.children) walk(c, next);
  };
  walk(p.head, { fn: '', where: '' });
  const frames = [...by.values()]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, n)
    .map((e) => ({ fn: e.fn, where: e.where, selfPct: (100 * e.bytes) / (total || 1) }));
  return { frames, totalMiB: total / 2 ** 20 };
}
