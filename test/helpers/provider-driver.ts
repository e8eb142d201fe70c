// Drives a dynamic-provider module the way the engine does (configure → check → create/update/...),
// with a fake `{config:{get}}`, against a real control plane. Shared by every integration test that
// calls provider modules directly.

type Inputs = Record<string, any>;

export interface ProviderModule {
  configure(req: { config: { get(key: string): string | undefined; require(key: string): string } }): Promise<void>;
  check(olds: Inputs, news: Inputs): Promise<{ inputs?: Inputs; failures?: Array<{ property: string; reason: string }> }>;
  diff(id: string, olds: Inputs, news: Inputs): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: Inputs): Promise<{ id: string; outs?: Inputs }>;
  read(id: string, props?: Inputs): Promise<{ id?: string; props?: Inputs; inputs?: Inputs }>;
  update(id: string, olds: Inputs, news: Inputs): Promise<{ outs?: Inputs }>;
  delete(id: string, props: Inputs): Promise<void>;
}

/**
 * Configures the provider for a plane (or anything with a url and token, e.g. a proxy in front of it).
 * `pollIntervalMs` shortens the provider's status polling; it is read at configure time.
 */
export async function configureFor(provider: Pick<ProviderModule, "configure">, target: { url: string; token: string }, options: { pollIntervalMs?: number } = {}): Promise<void> {
  if (options.pollIntervalMs !== undefined) process.env.ANYSCALE_POLL_INTERVAL_MS = String(options.pollIntervalMs);
  const values: Record<string, string> = { "anyscale:host": target.url, "anyscale:token": target.token };
  await provider.configure({ config: { get: (key) => values[key], require: (key) => values[key] } });
}

/** check, failing the test on check failures (the engine would stop there too). */
export async function checked(provider: Pick<ProviderModule, "check">, news: Inputs, olds: Inputs = {}): Promise<Inputs> {
  const result = await provider.check(olds, { ...news, __provider: "test-provider" });
  if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  return result.inputs!;
}
