// The alert engine's view of one site at `now`: the queue, agent and team lists are built
// only if the engine reads them, and once (each reads every agent, up to 20,000 a site).
import type { SiteView } from '../modules.js';
import type { SiteConfig } from '../site-config.js';
import type { AgentLive, QueueLive, TeamLive } from '../snapshot.js';

export interface ViewSources {
  queues(): QueueLive[];
  agents(): AgentLive[];
  pickAgents?: SiteView['pickAgents'];
  teams(): TeamLive[];
  lastEventAt: number | null;
  rollingServiceLevel: SiteView['rollingServiceLevel'];
  workState?: SiteView['workState'];
  quality?: SiteView['quality'];
}

export function lazySiteView(
  site: string,
  now: number,
  config: SiteConfig,
  src: ViewSources,
): SiteView {
  let queues: QueueLive[] | undefined;
  let agents: AgentLive[] | undefined;
  let teams: TeamLive[] | undefined;
  const view: SiteView = {
    site,
    now,
    config,
    get queues() {
      return (queues ??= src.queues());
    },
    get agents() {
      return (agents ??= src.agents());
    },
    get teams() {
      return (teams ??= src.teams());
    },
    lastEventAt: src.lastEventAt,
    rollingServiceLevel: src.rollingServiceLevel,
  };
  if (src.pickAgents) view.pickAgents = src.pickAgents;
  if (src.workState) view.workState = src.workState;
  if (src.quality) view.quality = src.quality;
  return view;
}
