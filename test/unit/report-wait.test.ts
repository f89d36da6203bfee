// A history report that is still building its stored facts when its wait is over answers 503
// with Retry-After, and the same report asked again joins that build instead of starting
// another (ingest/src/adapters/http/report-wait.ts).
import { describe, expect, it } from 'vitest';
import { ReportWait } from '../../ingest/src/adapters/http/report-wait.js';
import {
  HttpError,
  type ApiRequest,
  type ApiResponse,
} from '../../ingest/src/adapters/http/router.js';

const req = (url: string): ApiRequest => {
  const u = new URL(url, 'http://x');
  return {
    method: 'GET',
    path: u.pathname,
    params: {},
    query: u.searchParams,
    headers: {},
    body: Buffer.alloc(0),
  };
};

/** A report whose build ends when the test says so, counting how often it was started. */
function slowReport() {
  let finish: (r: ApiResponse) => void = () => {};
  const done = new Promise<ApiResponse>((resolve) => (finish = resolve));
  const r = {
    runs: 0,
    finish,
    run: () => {
      r.runs++;
      return done;
    },
  };
  return r;
}

describe('a report still building its stored facts', () => {
  it('answers 503 with Retry-After once its wait is over, and a retry joins the same build', async () => {
    const wait = new ReportWait(0);
    const report = slowReport();
    const url = '/api/reports/conformance?site=a&from=2026-08-04&to=2026-11-02&by=agent';
    const first = await wait.answer(req(url), report.run);
    expect(first.status).toBe(503);
    expect(first.headers?.['Retry-After']).toMatch(/^\d+$/);
    expect((first.body as { error: string }).error).toMatch(/building/);
    const again = await wait.answer(req(url), report.run);
    expect(again.status).toBe(503);
    expect(report.runs).toBe(1);
    report.finish({ status: 200, body: { rows: [1, 2] } });
    await Promise.resolve();
    // Once the build is done, the next request runs the report again (it reads stored days).
    const done = await wait.answer(req(url), () =>
      Promise.resolve({ status: 200, body: { rows: [1, 2] } }),
    );
    expect(done).toEqual({ status: 200, body: { rows: [1, 2] } });
  });

  it('answers within its wait as it would without one; other ranges run apart', async () => {
    const wait = new ReportWait(3_600_000);
    const report = slowReport();
    const a = wait.answer(
      req('/api/reports/attendance?site=a&from=2026-10-01&to=2026-11-01'),
      report.run,
    );
    const b = wait.answer(
      req('/api/reports/attendance?site=a&from=2026-10-01&to=2026-11-01'),
      report.run,
    );
    const other = await wait.answer(
      req('/api/reports/attendance?site=a&from=2026-10-02&to=2026-11-01'),
      () => Promise.resolve({ status: 200, body: { rows: [] } }),
    );
    expect(other.body).toEqual({ rows: [] });
    report.finish({ status: 200, body: { rows: ['x'] } });
    expect(await a).toEqual({ status: 200, body: { rows: ['x'] } });
    expect(await b).toEqual({ status: 200, body: { rows: ['x'] } });
    expect(report.runs).toBe(1);
  });

  it("passes a report's refusal through", async () => {
    const wait = new ReportWait(3_600_000);
    await expect(
      wait.answer(req('/api/reports/conformance?site=a&by=x'), () =>
        Promise.reject(new HttpError(400, 'query parameter "by" must be one of agent')),
      ),
    ).rejects.toThrow(/"by"/);
  });
});
