// The `zenml` namespace: register serving endpoints in a ZenML server (zenml.Service, with
// forAnyscale for anyscale.Service), and look records up (listServices / getService).
import * as pulumi from "@pulumi/pulumi";
import { runtime } from "@pulumi/pulumi";
import { identityForAnyscale, observedForAnyscale, type AnyscaleRegistrationOptions } from "../provider/zenml/anyscale-registration";
import type { ZenmlClient } from "../provider/zenml/client";
import { resolveZenmlSettings } from "../provider/zenml/config";
import { clientFromConfig, getServiceRecord, listServiceRecords, type ServiceRecord } from "../provider/zenml/data";
import type { ServiceFilter, ServiceState } from "../provider/zenml/schema";
import { ZENML_SERVICE_OUTPUT_NAMES } from "../provider/zenml/output-schema";
import { undefinedFor, withoutPromiseStacks } from "./common";

// A plain require: the module object itself is the provider, captured as a require() path (no code, no secrets).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provider: pulumi.dynamic.ResourceProvider = require("../provider/zenml/dynamic");

export type { ServiceRecord, ServiceFilter, ServiceState };

export interface ServiceTypeArgs {
  type: string;
  flavor: string;
  name?: string;
  description?: string;
  logoUrl?: string;
}

/** Mirrors ZenML's ServiceRequest. Fields marked "replaces" cannot be changed by ZenML's update. */
export interface ServiceArgs {
  /** Record name (not unique in ZenML); defaults to the resource name. */
  name?: pulumi.Input<string>;
  /** Project name or id (replaces); defaults to `zenml:project`, then `default`. */
  project?: pulumi.Input<string>;
  /** `{type, flavor, name?, description?, logoUrl?}` (replaces). */
  serviceType: pulumi.Input<ServiceTypeArgs>;
  serviceSource?: pulumi.Input<string>;
  adminState?: pulumi.Input<ServiceState>;
  /** Plain text in ZenML: never put secrets here (replaces). A unique registration key is added for you. */
  config?: pulumi.Input<Record<string, unknown>>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** ZenML copies `status.state` into the record's state. */
  status?: pulumi.Input<Record<string, unknown> & { state?: ServiceState }>;
  endpoint?: pulumi.Input<Record<string, unknown>>;
  predictionUrl?: pulumi.Input<string>;
  healthCheckUrl?: pulumi.Input<string>;
  /** Links the record into ZenML's model control plane. */
  modelVersionId?: pulumi.Input<string>;
  /** (replaces) */
  pipelineRunId?: pulumi.Input<string>;
}

/** The outputs of an anyscale.Service that a registration follows. */
export interface AnyscaleServiceLike {
  id: pulumi.Input<string>;
  name: pulumi.Input<string>;
  state: pulumi.Input<string | null | undefined>;
  queryUrl: pulumi.Input<string | null | undefined>;
  primaryVersion: pulumi.Input<unknown>;
  /** Optional: when given, a held canary shows in the record too. */
  canaryVersion?: pulumi.Input<unknown>;
}

export type ForAnyscaleArgs = { [K in keyof AnyscaleRegistrationOptions]?: pulumi.Input<NonNullable<AnyscaleRegistrationOptions[K]>> };

// Set by check (projectId, registrationKey), then what ZenML reports, from the declaration.
const OUTPUT_ONLY_NAMES = ["projectId", "registrationKey", ...ZENML_SERVICE_OUTPUT_NAMES];
const INPUT_NAMES = [
  "name", "project", "serviceType", "serviceSource", "adminState", "config", "labels", "status",
  "endpoint", "predictionUrl", "healthCheckUrl", "modelVersionId", "pipelineRunId",
] as const;

export class Service extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly project: pulumi.Output<string>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly serviceType: pulumi.Output<ServiceTypeArgs>;
  declare readonly serviceSource: pulumi.Output<string | undefined>;
  declare readonly adminState: pulumi.Output<ServiceState | undefined>;
  declare readonly config: pulumi.Output<Record<string, unknown> | undefined>;
  declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
  declare readonly status: pulumi.Output<Record<string, unknown> | undefined>;
  declare readonly endpoint: pulumi.Output<Record<string, unknown> | undefined>;
  declare readonly predictionUrl: pulumi.Output<string | undefined>;
  declare readonly healthCheckUrl: pulumi.Output<string | undefined>;
  declare readonly modelVersionId: pulumi.Output<string | undefined>;
  declare readonly pipelineRunId: pulumi.Output<string | undefined>;
  /** ZenML's record state. */
  declare readonly state: pulumi.Output<ServiceState>;
  /** The stable key kept in `config` so identical configs from different stacks never collide. */
  declare readonly registrationKey: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string | undefined>;
  declare readonly created: pulumi.Output<string | undefined>;
  declare readonly updated: pulumi.Output<string | undefined>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.CustomResourceOptions) {
    const props = opts?.id
      ? undefinedFor([...INPUT_NAMES, ...OUTPUT_ONLY_NAMES])
      : { ...undefinedFor(OUTPUT_ONLY_NAMES), ...args, name: args.name ?? name };
    const restoreStacks = withoutPromiseStacks();
    try {
      super(provider, name, props, opts, "zenml", "Service");
    } finally {
      restoreStacks();
    }
  }

  /** An existing record by id (read from the server; not managed by this program). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Service {
    return new Service(name, { serviceType: { type: "", flavor: "" } }, { ...opts, id });
  }

  /**
   * Registers an anyscale.Service in ZenML: flavor `anyscale`, prediction URL from the query URL,
   * state from the service state. Rollouts change the service's outputs, which update the record.
   * The query auth token is never read.
   */
  static forAnyscale(name: string, service: AnyscaleServiceLike, args: ForAnyscaleArgs = {}, opts?: pulumi.CustomResourceOptions): Service {
    // Two groups with their own dependencies: while a rollout is previewed the service's state and
    // versions are unknown but its id and name are not, so the preview shows an update, not a replace.
    const identity = pulumi
      .all([service.id, service.name, args.name, args.config])
      .apply(([id, serviceName, recordName, config]) => identityForAnyscale({ id, name: serviceName }, { name: recordName, config }));
    const observed = pulumi
      .all([service.id, service.name, service.state, service.queryUrl, service.primaryVersion, service.canaryVersion, args.labels])
      .apply(([id, serviceName, state, queryUrl, primaryVersion, canaryVersion, labels]) =>
        observedForAnyscale({ id, name: serviceName, state: state ?? undefined, queryUrl: queryUrl ?? undefined, primaryVersion, canaryVersion }, { labels }),
      );
    // Optional fields may be undefined at run time; the provider drops them.
    const from = <T extends object, K extends keyof T>(group: pulumi.Output<T>, key: K) =>
      group.apply((values) => values[key]) as pulumi.Output<NonNullable<T[K]>>;
    return new Service(
      name,
      {
        name: from(identity, "name"),
        serviceType: from(identity, "serviceType"),
        serviceSource: from(identity, "serviceSource"),
        config: from(identity, "config"),
        adminState: from(observed, "adminState"),
        labels: from(observed, "labels"),
        status: from(observed, "status") as pulumi.Output<Record<string, unknown>>,
        endpoint: from(observed, "endpoint"),
        predictionUrl: from(observed, "predictionUrl"),
        project: args.project,
        healthCheckUrl: args.healthCheckUrl,
        modelVersionId: args.modelVersionId,
        pipelineRunId: args.pipelineRunId,
      },
      opts,
    );
  }
}

// ---- data functions --------------------------------------------------------------------------

export interface ListServicesArgs extends ServiceFilter {}
export interface GetServiceArgs {
  id: string;
}
type InputArgs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const clients = new Map<string, ZenmlClient>();

/** One client per server+credential in this process, so the token from one login is reused. */
function programClient(): ZenmlClient {
  const config = { get: (key: string) => runtime.getConfig(key) };
  const settings = resolveZenmlSettings(config);
  const credential = settings.credentials.kind === "apiKey" ? settings.credentials.apiKey : `${settings.credentials.username}\n${settings.credentials.password}`;
  const key = `${settings.url}\n${credential}`;
  let client = clients.get(key);
  if (!client) {
    client = clientFromConfig(config);
    clients.set(key, client);
  }
  return client;
}

/** Every record matching ZenML's filters (`name: "startswith:sentiment"`, `flavor: "anyscale"`, …), all pages. */
export async function listServices(args: ListServicesArgs = {}): Promise<ServiceRecord[]> {
  return listServiceRecords(programClient(), args);
}

export function listServicesOutput(args: InputArgs<ListServicesArgs> = {}): pulumi.Output<ServiceRecord[]> {
  return pulumi.output(args).apply((plain) => listServices(plain as ListServicesArgs));
}

/** One record by id. */
export async function getService(args: GetServiceArgs): Promise<ServiceRecord> {
  return getServiceRecord(programClient(), args.id);
}

export function getServiceOutput(args: InputArgs<GetServiceArgs>): pulumi.Output<ServiceRecord> {
  return pulumi.output(args).apply((plain) => getService(plain as GetServiceArgs));
}
