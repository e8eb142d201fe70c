import { z } from "zod";

export const FAULT_KINDS = ["429", "500", "502", "503", "reset", "latency"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultSpecSchema = z
  .object({
    /** Probability per eligible request (0..1); ignored when everyNth is set. */
    rate: z.number().min(0).max(1).default(1),
    kinds: z.array(z.enum(FAULT_KINDS)).min(1),
    latencyMs: z.number().int().min(0).max(120_000).default(500),
    retryAfterS: z.number().int().min(0).max(3600).default(1),
    pathPrefix: z.string().startsWith("/").optional(),
    /** Deterministic mode: fault exactly every Nth eligible request (1 = every request). */
    everyNth: z.number().int().min(1).optional(),
    /** Seed for the pseudo-random draw, so a rate-based run is reproducible. */
    seed: z.number().int().optional(),
    /** Stop injecting after this many faults. */
    limit: z.number().int().min(1).optional(),
    /** Only requests with this method (e.g. "GET"). */
    method: z.string().optional(),
  })
  .strict();
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export interface FaultDecision {
  kind: FaultKind;
}

/** Decides, request by request, whether to inject a fault. Deterministic given a seed or everyNth. */
export class FaultInjector {
  private spec: FaultSpec | undefined;
  private eligibleCount = 0;
  private injectedCount = 0;
  private random: () => number = Math.random;

  configure(spec: FaultSpec): void {
    this.spec = spec;
    this.eligibleCount = 0;
    this.injectedCount = 0;
    this.random = spec.seed === undefined ? Math.random : seededRandom(spec.seed);
  }

  clear(): void {
    this.spec = undefined;
  }

  status(): { spec: FaultSpec | null; eligible: number; injected: number } {
    return { spec: this.spec ?? null, eligible: this.eligibleCount, injected: this.injectedCount };
  }

  latencyMs(): number {
    return this.spec?.latencyMs ?? 0;
  }

  retryAfterS(): number {
    return this.spec?.retryAfterS ?? 1;
  }

  decide(method: string, path: string): FaultDecision | undefined {
    const spec = this.spec;
    if (!spec || path.startsWith("/_local/")) return undefined;
    if (spec.pathPrefix && !path.startsWith(spec.pathPrefix)) return undefined;
    if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return undefined;
    if (spec.limit !== undefined && this.injectedCount >= spec.limit) return undefined;
    this.eligibleCount += 1;
    const fire = spec.everyNth !== undefined ? this.eligibleCount % spec.everyNth === 0 : this.random() < spec.rate;
    if (!fire) return undefined;
    const kind = spec.kinds[this.injectedCount % spec.kinds.length];
    this.injectedCount += 1;
    return { kind };
  }
}

/** mulberry32: tiny, good enough for reproducible fault patterns. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
