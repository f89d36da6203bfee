// A candidate is one alert condition that holds at this instant, with everything the
// engine needs to raise it: its stable key, level, words, and its hold/clear timings.
import type { AlertLevelName } from '../site-config.js';
import type { AlertAction } from '../snapshot.js';

export interface Candidate {
  kind: string;
  /** Stable within the kind (queue, agent, team, rule id): the same condition never duplicates. */
  key: string;
  level: AlertLevelName;
  queue: string | null;
  agent: string | null;
  team: string | null;
  rule: string | null;
  message: string;
  message_zh: string;
  action: string | null;
  action_zh: string | null;
  action_detail: AlertAction | null;
  /** The condition must hold this long before the alert is raised. */
  hold_ms: number;
  /** Once raised, the condition must be false this long before the alert clears. */
  clear_ms: number;
  /** Why the alert cleared, said when it clears. */
  clear_reason: string;
}
