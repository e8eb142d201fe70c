// Canary attribution. The query URL blends the versions by weight, and the platform offers no way to
// address one version through it (the official client, anyscale 0.26.112, has one service-level
// base_url and no per-version URL, header or route). So the canary's own behaviour is inferred: the
// primary is measured alone before the canary takes traffic, and with the canary's share w the blend
// is b = (1 - w)·p + w·c, hence c = (b - (1 - w)·p) / w. Pure, so every verdict replays in unit tests.

/** Two-sided 95% normal quantile: the confidence every bound below states. */
export const CONFIDENCE_Z = 1.96;

export interface Interval {
  low: number;
  high: number;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** Wilson score interval of a binomial proportion (sound at 0/n and n/n, unlike the normal approximation). */
export function wilsonInterval(successes: number, total: number, z = CONFIDENCE_Z): Interval {
  if (total <= 0) return { low: 0, high: 1 };
  const phat = successes / total;
  const z2 = z * z;
  const centre = (phat + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z * Math.sqrt((phat * (1 - phat)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
  return { low: clamp01(centre - half), high: clamp01(centre + half) };
}

/** A proportion inferred for the canary: the point value and its 95% bounds. */
export interface CanaryProportion extends Interval {
  value: number;
}

/**
 * The canary's share of "good" answers (successes, or answers under a latency limit) from the blend's
 * count, the primary's rate measured alone, and the canary's share of traffic (0–1). The bounds carry
 * the blend's sampling error; the primary's rate is taken as measured (its sample is the baseline, and
 * its error would be multiplied by (1 - w)/w, drowning any signal at small shares). With no traffic to
 * the canary (w = 0) nothing can be attributed and the blend is the answer.
 */
export function inferCanaryProportion(blendGood: number, blendTotal: number, primaryRate: number, share: number): CanaryProportion {
  const blend = blendTotal > 0 ? blendGood / blendTotal : 1;
  const bounds = wilsonInterval(blendGood, blendTotal);
  if (share <= 0) return { value: blend, ...bounds };
  const attribute = (rate: number) => clamp01((rate - (1 - share) * primaryRate) / share);
  return { value: attribute(blend), low: attribute(bounds.low), high: attribute(bounds.high) };
}

/** Share of `latencies` at or under `limitMs`; 1 for an empty sample (nothing known to be slow). */
export function shareWithin(latencies: readonly number[], limitMs: number): number {
  if (latencies.length === 0) return 1;
  return latencies.filter((latency) => latency <= limitMs).length / latencies.length;
}

/**
 * The canary's 95th-percentile latency from the mixture of CDFs: F_c(x) = (F_b(x) - (1 - w)·F_p(x)) / w.
 * Searched from the slowest value down (the point is the first blend latency above the largest x where
 * F_c < 0.95, x over both samples' values): the primary's tail is what its baseline measures well, while its fast end shifts between
 * the baseline and the gate (warm connections) and would make a search from below stop too early.
 * Without a primary sample the primary is taken as faster than every answer (all slowness is the
 * canary's: the cautious reading).
 */
export function inferCanaryP95(blendLatencies: readonly number[], primaryLatencies: readonly number[], share: number): number | null {
  if (blendLatencies.length === 0) return null;
  const sorted = [...blendLatencies].sort((a, b) => a - b);
  if (share <= 0) return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
  const cdf = (sample: readonly number[], x: number) => (sample.length === 0 ? 1 : sample.filter((value) => value <= x).length / sample.length);
  // Candidates are both samples' values: the CDFs only change there.
  const candidates = [...new Set([...sorted, ...primaryLatencies])].sort((a, b) => b - a);
  for (const x of candidates) {
    const canary = (cdf(sorted, x) - (1 - share) * cdf(primaryLatencies, x)) / share;
    if (canary < 0.95 - 1e-9) return sorted.find((latency) => latency > x) ?? sorted[sorted.length - 1];
  }
  return sorted[0];
}

/**
 * Probes one measurement needs so that about `minCanarySamples` of them reach the canary at `share`
 * (0–1): never fewer than `requested`. At 10% and 20 canary answers that is 200 probes.
 */
export function probesForShare(requested: number, minCanarySamples: number, share: number): number {
  if (share <= 0 || share >= 1) return requested;
  return Math.max(requested, Math.ceil(minCanarySamples / share));
}
