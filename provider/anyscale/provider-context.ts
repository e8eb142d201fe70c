// Per-process provider state for the job and job-queue providers: the configuration handed over by
// `configure`, and clients created on first use. Nothing here is captured by closure serialization
// (the provider module is required by path), so credentials never reach Pulumi state.
import type { AnyscaleClient } from "../anyscale/client";
import { JobsClient } from "../anyscale/jobs-client";
import type { ConfigSource, ProviderSettings } from "../core/config";
import { createAnyscaleClient } from "./connect";

export interface ProviderContext {
  settings: ProviderSettings;
  client: AnyscaleClient;
  jobs: JobsClient;
}

export class LazyProviderContext {
  private config: ConfigSource | undefined;
  private context: ProviderContext | undefined;

  /** Called from the provider's `configure`; a new configuration drops clients built from the old one. */
  configure(config: ConfigSource | undefined): void {
    this.config = config;
    this.context = undefined;
  }

  /** Resolves settings (throwing a ConfigurationError naming what is missing) and builds the clients once. */
  get(): ProviderContext {
    if (!this.context) {
      const { client, settings } = createAnyscaleClient(this.config);
      this.context = { settings, client, jobs: new JobsClient(client) };
    }
    return this.context;
  }
}
