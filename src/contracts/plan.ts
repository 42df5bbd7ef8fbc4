/**
 * Plan an experiment: its stages in a dependency-respecting order (Kahn's algorithm, ties broken by YAML
 * order so the plan is deterministic). Pure: the workflow calls it, so it must never touch Node APIs.
 */
import { ConfigError } from '../errors/pipeline-errors.js';
import type { ResolvedPipelineConfig, ResolvedStage } from './pipeline-config.js';

export function planStages(config: ResolvedPipelineConfig): ResolvedStage[] {
  const remaining = new Map(config.stages.map((s) => [s.id, s]));
  const done = new Set<string>();
  const order: ResolvedStage[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()].find((s) => Object.values(s.inputs).every((id) => done.has(id)));
    if (!ready) {
      // The config loader reports cycles first; the workflow turns this into a non-retryable failure.
      throw new ConfigError(`stages ${[...remaining.keys()].join(', ')} depend on each other in a cycle`);
    }
    order.push(ready);
    done.add(ready.id);
    remaining.delete(ready.id);
  }
  return order;
}
