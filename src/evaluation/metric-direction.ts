/**
 * Which way each reported metric improves (the paper's Table 2, §2.3): LPIPS is a distance (lower is better);
 * VGG16 perceptual similarity and latent cosine are similarities (higher is better). Tables and the report
 * mark the best decoder with it.
 */
export type MetricDirection = 'higher' | 'lower';

export function metricDirection(metric: string): MetricDirection {
  return metric === 'lpips' ? 'lower' : 'higher';
}

/** The better of two means of `metric`: negative when `a` is better. */
export function compareByDirection(metric: string, a: number, b: number): number {
  return metricDirection(metric) === 'lower' ? a - b : b - a;
}
