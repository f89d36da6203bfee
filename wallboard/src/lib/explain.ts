// The explanation of a queue figure: the server's own `explain` entry when it sent one,
// else one rebuilt from the counts with design.md's default formulas, so no figure is mute.
import type { Explain, QueueFigures } from '../../../ingest/src/core/snapshot.js';

export type ExplainedMetric = 'service_level' | 'answer_rate' | 'asa_s' | 'aht_s';

export function explainOf(fig: QueueFigures, metric: ExplainedMetric): Explain | null {
  const given = fig.explain?.[metric];
  if (given) return given;
  const den = fig.answered + fig.abandoned - fig.short_abandoned;
  if (metric === 'service_level')
    return {
      formula: 'sl_default',
      text: 'answered within T / (answered + abandoned − short abandons)',
      numerator: fig.answered_within_threshold,
      denominator: den,
    };
  if (metric === 'answer_rate')
    return {
      formula: 'answer_rate',
      text: 'answered / (answered + abandoned − short abandons)',
      numerator: fig.answered,
      denominator: den,
    };
  return null;
}
