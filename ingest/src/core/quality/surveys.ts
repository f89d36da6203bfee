// Post-call surveys as columns, one row per survey event id (the same id again replaces its
// row): time, score, yes/no and the agent surveyed. Satisfaction reads only these.
import { head, room } from './columns.js';
import { Keys, type KeysState } from './keys.js';

/** A survey table as a checkpoint holds it. */
export interface SurveyColumns {
  ids: KeysState;
  ts: Float64Array;
  /** Score 1-5, NaN when the survey has none. */
  score: Float64Array;
  /** 1 yes, 0 no, -1 not asked. */
  satisfied: Int8Array;
  agent: Int32Array;
}

export interface Survey {
  ts: number;
  score: number | null;
  satisfied: boolean | null;
  agent: string;
}

export class SurveyTable {
  private ids = new Keys();
  private ts: Float64Array = new Float64Array(0);
  private score: Float64Array = new Float64Array(0);
  private satisfied: Int8Array = new Int8Array(0);
  private agent: Int32Array = new Int32Array(0);

  constructor(private readonly agents: Keys) {}

  static from(c: SurveyColumns, agents: Keys): SurveyTable {
    const t = new SurveyTable(agents);
    t.ids = new Keys(c.ids);
    t.ts = c.ts;
    t.score = c.score;
    t.satisfied = c.satisfied;
    t.agent = c.agent;
    return t;
  }

  columns(): SurveyColumns {
    const n = this.ids.size;
    return {
      ids: this.ids.state(),
      ts: head(this.ts, n),
      score: head(this.score, n),
      satisfied: head(this.satisfied, n),
      agent: head(this.agent, n),
    };
  }

  get size(): number {
    return this.ids.size;
  }

  set(id: string, s: Survey): void {
    let r = this.ids.find(id);
    if (r < 0) {
      r = this.ids.id(id);
      this.ts = room(this.ts, r + 1, (n) => new Float64Array(n));
      this.score = room(this.score, r + 1, (n) => new Float64Array(n));
      this.satisfied = room(this.satisfied, r + 1, (n) => new Int8Array(n));
      this.agent = room(this.agent, r + 1, (n) => new Int32Array(n));
    }
    this.ts[r] = s.ts;
    this.score[r] = s.score ?? NaN;
    this.satisfied[r] = s.satisfied === null ? -1 : s.satisfied ? 1 : 0;
    this.agent[r] = this.agents.id(s.agent);
  }

  time(r: number): number {
    return this.ts[r] as number;
  }

  get(r: number): Survey {
    const score = this.score[r] as number;
    const yes = this.satisfied[r] as number;
    return {
      ts: this.ts[r] as number,
      score: Number.isNaN(score) ? null : score,
      satisfied: yes < 0 ? null : yes === 1,
      agent: this.agents.key(this.agent[r] as number),
    };
  }

  /** The table without the surveys before `keep`. */
  without(keep: number): SurveyTable {
    let old = false;
    for (let r = 0; r < this.ids.size && !old; r++) old = (this.ts[r] as number) < keep;
    if (!old) return this;
    const t = new SurveyTable(this.agents);
    for (let r = 0; r < this.ids.size; r++)
      if ((this.ts[r] as number) >= keep) t.set(this.ids.key(r), this.get(r));
    return t;
  }
}
