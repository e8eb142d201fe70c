// The one way a provider module holds its per-process state: the configuration `configure` handed
// over, and what is built from it (clients, settings) on first use. Nothing here is captured by
// closure serialization (provider modules are required by path), so credentials never reach state.
import { watchEngineOnce } from "./engine-watch";
import type { ConfigSource } from "./config";

export class ProviderState<T> {
  private config: ConfigSource | undefined;
  private value: T | undefined;

  constructor(private readonly build: (config: ConfigSource | undefined) => T) {}

  /** From the provider's `configure`: a new configuration drops what was built from the old one. */
  configure(config: ConfigSource | undefined): void {
    watchEngineOnce(); // inside Pulumi's dynamic-provider host: stop when its engine is gone (engine-watch.ts)
    this.config = config;
    this.value = undefined;
  }

  /** Builds once (engines older than configure support fall back to the environment); a bad setting throws, naming it. */
  get(): T {
    if (this.value === undefined) this.value = this.build(this.config);
    return this.value;
  }

  /** The state when it can be built, else undefined: check validates without credentials and never fails on them. */
  peek(): T | undefined {
    try {
      return this.get();
    } catch {
      return undefined;
    }
  }
}
