// The worker side of the bench's parent/worker protocol (see lib/proc.ts forkWorker).

export function config<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function ready(extra: object = {}): void {
  process.send?.({ ...extra, type: 'ready' });
}

export function waitGo<T extends object = object>(): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === 'go') {
        process.off('message', on);
        resolve(m as unknown as T);
      }
    };
    process.on('message', on);
  });
}

export function onMessage(type: string, fn: (m: Record<string, unknown>) => void): void {
  process.on('message', (m: { type: string }) => {
    if (m.type === type) fn(m as unknown as Record<string, unknown>);
  });
}

export function finish(data: unknown): void {
  process.send?.({ type: 'result', data }, () => process.exit(0));
}

export function fail(e: unknown): void {
  process.send?.({ type: 'error', error: (e as Error)?.stack ?? String(e) }, () => process.exit(1));
}

/** Wall-clock ms with sub-ms resolution, comparable across processes on one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
