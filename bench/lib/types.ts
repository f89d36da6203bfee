// The shapes a bench section hands back to the report.
import type { Spread } from './stats.js';

export interface BenchOptions {
  quick: boolean;
  /** Seconds each timed load run lasts. */
  durationS: number;
  runs: number;
  agents: number;
  producers: number;
  only: string[] | null;
  /** History back-fill scale (default 30 days × 2,000 agents; quick 7 × 200). */
  historyAgents?: number;
  historyDays?: number;
  /** --long-history: 90 days × 5,000 agents, goal ≤ 500 ms median. */
  longHistory?: boolean;
  /** Profile the server (node --cpu-prof) where a figure falls short. */
  profile: boolean;
}

export type Status = 'pass' | 'short' | 'info' | 'not measured';

export interface Figure {
  section: string;
  name: string;
  value: Spread | null;
  unit: string;
  /** Goal in words, e.g. "≥ 50% of the lower raw limit". */
  goal?: string;
  status: Status;
  note?: string;
}

/** Figures later sections may refer to (the raw limits). */
export interface Shared {
  transport: Map<number, number>;
  notes: string[];
  /** What limits a figure that falls short (profile summaries). */
  findings: string[];
}

export interface Section {
  id: string;
  title: string;
  run(o: BenchOptions, shared: Shared): Promise<Figure[]>;
}

export function notMeasured(section: string, name: string, reason: string): Figure {
  return { section, name, value: null, unit: '', status: 'not measured', note: reason };
}
