// A believable floor for the board's browser tests: the demo site's configuration (bilingual
// queue and team labels, the overflow rule), its roster, and its last 20 minutes of simulated
// events sent as a back-fill, so every tile, alert and team has something real to show.
import { agentsOf, type SimConfig } from '../../simulator/generator/model.js';
import { runToServer } from '../../simulator/generator/run.js';
import { SiteClock } from '../../simulator/generator/site-clock.js';
import { IngestClient } from '../../simulator/output/ingest-client.js';
import { putRoster, putSiteConfig } from '../../simulator/output/server-api.js';
import { datesCovering, rosterRows } from '../../simulator/roster/rows.js';
import { DEMO_SITE_SETTINGS, demoRoster, demoScenario } from '../../simulator/scenarios/demo.js';
import { TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.js';

export async function seedFloor(
  server: TestServer,
  site: string,
  agents = 60,
  minutes = 20,
): Promise<SimConfig> {
  const liveAt = Date.now();
  const cfg = {
    ...demoScenario({ liveAt, site, seed: site, agents, prerollMin: minutes, hours: 0 }),
    to: liveAt,
  };
  const clock = new SiteClock(cfg.timezone);
  await putSiteConfig(server.url, cfg, () => {}, DEMO_SITE_SETTINGS, TEST_ADMIN_TOKEN);
  await putRoster(
    server.url,
    site,
    demoRoster(
      rosterRows(
        cfg,
        clock,
        agentsOf(cfg),
        datesCovering(clock, cfg.from - 86_400_000, cfg.from + 86_400_000),
      ),
      cfg.from,
      (ms) => clock.iso(ms),
    ),
    TEST_ADMIN_TOKEN,
  );
  const client = await IngestClient.connect(
    `${server.wsUrl}/ws/ingest`,
    4,
    () => {},
    TEST_ADMIN_TOKEN,
  );
  try {
    await runToServer(cfg, client, {
      check: 'wall-clock',
      progress: false,
      speed: Infinity,
      batch: 500,
    });
  } finally {
    client.close();
  }
  return cfg;
}
