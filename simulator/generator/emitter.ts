// Builds contract events: deterministic ids (a run tag from seed, site and start, then a
// counter) and `ts` as ISO-8601 with the site offset or epoch ms. Field order is fixed so
// the same run serialises to the same bytes.
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { hashTag } from '../distributions/rng.js';
import type { SiteClock } from './site-clock.js';

/** An event as written on the wire: the contract's union with `ts` as ISO string or epoch ms. */
export type SimEvent = FwEvent extends infer E
  ? E extends FwEvent
    ? Omit<E, 'ts'> & { ts: string | number }
    : never
  : never;

export type EventSink = (ev: SimEvent) => void;

export class Emitter {
  private n = 0;
  private calls = 0;
  readonly tag: string;
  count = 0;

  constructor(
    private readonly site: string,
    private readonly clock: SiteClock,
    private readonly tsFormat: 'iso' | 'epoch',
    seed: string,
    from: number,
    private readonly sink: EventSink,
  ) {
    // The tag makes ids unique across runs into one server (ids are the dedupe key), yet
    // stays the same for the same seed, site and start.
    this.tag = hashTag(`${seed}|${site}|${from}`, 6);
  }

  nextCallId(): string {
    return `${this.tag}-c${(this.calls++).toString(36)}`;
  }

  private base(t: number): { id: string; ts: string | number } {
    return {
      id: `${this.tag}-${(this.n++).toString(36)}`,
      ts: this.tsFormat === 'epoch' ? Math.round(t) : this.clock.iso(t),
    };
  }

  private out(ev: SimEvent): void {
    this.count++;
    this.sink(ev);
  }

  login(t: number, agent: string, name: string, team: string, queues: string[]): void {
    const b = this.base(t);
    this.out({
      id: b.id,
      ts: b.ts,
      type: 'agent.login',
      site: this.site,
      agent,
      name,
      team,
      queues,
    });
  }

  logout(t: number, agent: string): void {
    const b = this.base(t);
    this.out({ id: b.id, ts: b.ts, type: 'agent.logout', site: this.site, agent });
  }

  state(
    t: number,
    agent: string,
    state: 'ready' | 'not_ready' | 'ringing' | 'talking' | 'hold' | 'wrap_up',
    reason?: string,
  ): void {
    const b = this.base(t);
    if (reason === undefined)
      this.out({ id: b.id, ts: b.ts, type: 'agent.state', site: this.site, agent, state });
    else
      this.out({ id: b.id, ts: b.ts, type: 'agent.state', site: this.site, agent, state, reason });
  }

  call(
    t: number,
    type: 'call.offered' | 'call.abandoned',
    call: string,
    queue: string,
    caller = '',
  ): void {
    const b = this.base(t);
    if (caller)
      this.out({ id: b.id, ts: b.ts, type: 'call.offered', site: this.site, call, queue, caller });
    else this.out({ id: b.id, ts: b.ts, type, site: this.site, call, queue });
  }

  /** A service-quality event (survey, work order) built by QualitySim, with its own id. */
  prepared(t: number, id: string, ev: Omit<SimEvent, 'id' | 'ts'>): void {
    this.out({
      id,
      ts: this.tsFormat === 'epoch' ? Math.round(t) : this.clock.iso(t),
      ...ev,
    } as SimEvent);
  }

  callAgent(
    t: number,
    type: 'call.answered' | 'call.ended',
    call: string,
    queue: string,
    agent: string,
  ): void {
    const b = this.base(t);
    this.out({ id: b.id, ts: b.ts, type, site: this.site, call, queue, agent });
  }

  overflowed(t: number, call: string, queue: string, toQueue: string): void {
    const b = this.base(t);
    this.out({
      id: b.id,
      ts: b.ts,
      type: 'call.overflowed',
      site: this.site,
      call,
      queue,
      to_queue: toQueue,
    });
  }
}
