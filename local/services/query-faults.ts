import { z } from "zod";
import type { LocalApp } from "../types";
import { parseInput } from "../validation";
import type { ServiceRecord, VersionRecord } from "./model";

// Query faults per version, for testing health gates for real: through the admin API, one version's
// answers on the query URL fail at a given rate and/or are slowed by a given latency. They apply
// after the weight routing (query-url.ts), so a canary at 10% with a 50% error rate fails about 5%
// of all queries. Failures are spread evenly and deterministically (every second request at 0.5).

const COLLECTION = "service_query_faults";

export const QueryFaultSchema = z
  .object({
    /** The version's name or id. */
    version: z.string().min(1),
    /** Share of this version's answers that fail, 0–1. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Status of a failed answer. */
    errorStatus: z.number().int().min(400).max(599).default(503),
    /** Added to every answer of this version. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** A JSON answer this version gives (status 200) instead of the echo: a model answering wrongly. */
    answer: z.json().optional(),
  })
  .strict();
export type QueryFault = z.infer<typeof QueryFaultSchema>;

interface StoredFault extends QueryFault {
  service: string;
}

const key = (serviceName: string, version: string) => `${serviceName}/${version}`;

export class QueryFaults {
  /** Answers counted per fault, for the even spread of failures. */
  private readonly counters = new Map<string, number>();

  constructor(private readonly app: LocalApp) {}

  set(serviceName: string, fault: QueryFault): StoredFault {
    const stored = { ...fault, service: serviceName };
    this.app.store.put(COLLECTION, key(serviceName, fault.version), stored);
    this.counters.delete(key(serviceName, fault.version));
    return stored;
  }

  clear(serviceName: string): void {
    for (const fault of this.list(serviceName)) this.app.store.delete(COLLECTION, key(serviceName, fault.version));
  }

  list(serviceName: string): StoredFault[] {
    return this.app.store.list<StoredFault>(COLLECTION).filter((fault) => fault.service === serviceName);
  }

  /** What happens to this answer of `version`: extra latency, and whether it fails (and with which status). */
  next(service: ServiceRecord, version: VersionRecord): { latencyMs: number; failStatus?: number; answer?: unknown } | undefined {
    const fault = this.app.store.get<StoredFault>(COLLECTION, key(service.name, version.version)) ?? this.app.store.get<StoredFault>(COLLECTION, key(service.name, version.id));
    if (!fault) return undefined;
    const counterKey = key(service.name, fault.version);
    const n = this.counters.get(counterKey) ?? 0;
    this.counters.set(counterKey, n + 1);
    const fails = Math.floor((n + 1) * fault.errorRate) > Math.floor(n * fault.errorRate);
    return { latencyMs: fault.latencyMs, ...(fails ? { failStatus: fault.errorStatus } : {}), ...(fault.answer !== undefined ? { answer: fault.answer } : {}) };
  }
}

export function registerQueryFaultRoutes(app: LocalApp, faults: QueryFaults): void {
  app.router.add("POST", "/_local/services/:name/query-faults", (ctx) => {
    const fault = parseInput(QueryFaultSchema, ctx.body);
    return { status: 200, body: faults.set(ctx.params.name, fault) };
  });
  app.router.add("GET", "/_local/services/:name/query-faults", (ctx) => ({ status: 200, body: { results: faults.list(ctx.params.name) } }));
  app.router.add("DELETE", "/_local/services/:name/query-faults", (ctx) => {
    faults.clear(ctx.params.name);
    return { status: 204 };
  });
}
