// Read-only lookup answers (cloud, project, compute config, build ids), reused for a short while.
// The cache is handed to the client by whoever builds it (anyscale/connect.ts shares one per process),
// so tests and a long-lived host choose their own instead of reaching for a global.

/**
 * How long a lookup answer is reused. Short: one `pulumi up` deploying many resources asks once, while a
 * long-lived process (automation API) still sees a renamed project or a new compute config version soon.
 */
export const LOOKUP_TTL_MS = 60_000;

interface CachedLookup {
  value: Promise<string>;
  /** Set when the answer arrives; until then the in-flight promise is shared. */
  expiresAt?: number;
}

export class LookupCache {
  private readonly entries = new Map<string, CachedLookup>();

  constructor(private readonly ttlMs: number = LOOKUP_TTL_MS) {}

  /** `scope` keeps accounts and hosts apart (host + token digest); `key` names the request. */
  get(scope: string, key: string, load: () => Promise<string>): Promise<string> {
    const fullKey = `${scope} ${key}`;
    const hit = this.entries.get(fullKey);
    if (hit && (hit.expiresAt === undefined || hit.expiresAt > Date.now())) return hit.value;
    const entry: CachedLookup = { value: load() };
    this.entries.set(fullKey, entry);
    entry.value.then(
      () => {
        entry.expiresAt = Date.now() + this.ttlMs;
      },
      // A failed lookup is not remembered: the next call tries again (unless a newer entry replaced it).
      () => {
        if (this.entries.get(fullKey) === entry) this.entries.delete(fullKey);
      },
    );
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }
}
