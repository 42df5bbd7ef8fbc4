/**
 * The stage timeline: a Gantt chart of when each stage's artifact was computed, from the manifests' timings
 * (`timings.startedAt` / `finishedAt`), in seconds since the earliest start so the axis reads without a time zone.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface TimelineBar {
  stage: string;
  /** How this run got the artifact: `computed` or `cache hit` (then it was computed earlier, by the run shown). */
  how: string;
  startedAt: string;
  finishedAt: string;
}

export function timelineSpec(bars: readonly TimelineBar[]): TopLevelSpec {
  const origin = Math.min(...bars.map((b) => Date.parse(b.startedAt)));
  const values = bars.map((b) => {
    const start = (Date.parse(b.startedAt) - origin) / 1000;
    const finish = (Date.parse(b.finishedAt) - origin) / 1000;
    return { stage: b.stage, how: b.how, start, finish, label: `${(finish - start).toFixed(1)} s` };
  });
  const y = { field: 'stage', type: 'nominal', sort: bars.map((b) => b.stage), title: null } as const;
  return {
    description: 'When each stage computed its artifact',
    width: 560,
    height: { step: 22 },
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', cornerRadius: 2 },
        encoding: {
          x: { field: 'start', type: 'quantitative', title: `seconds since ${new Date(origin).toISOString()}` },
          x2: { field: 'finish' },
          color: {
            field: 'how',
            type: 'nominal',
            title: 'this run',
            scale: { domain: ['computed', 'cache hit'], range: ['#4c78a8', '#bab0ac'] },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
        encoding: { x: { field: 'finish', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}
