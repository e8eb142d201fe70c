// The resources the plugin serves: each adapter points at the SAME provider module the dynamic host
// runs (provider/<resource>/dynamic.ts), and adds only what a native host needs on top: the type token,
// the internal inputs the sdk classes would fill, the planner verdict as a detailed diff and a plan line.
import type { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ConfigSource } from "../../core/config";
import { isUnknown } from "../../core/dynamic-support";
import * as serviceProvider from "../../service/dynamic";
import * as jobProvider from "../../job/dynamic";
import * as jobQueueProvider from "../../jobqueue/dynamic";
import * as zenmlProvider from "../../zenml/dynamic";
import { serviceInputsObject } from "../../service/schema";
import { declaredCanaryPercent, planServiceUpdate } from "../../service/planner";
import { computedFromService, inputsFromProps, type DeploymentRecord } from "../../service/outputs";
import type { ServiceModel } from "../../anyscale/service-models";
import { jobInputsSchema } from "../../job/schema";
import { planJobChange } from "../../job/planner";
import { JOB_OUTPUT_FIELDS } from "../../job/outputs";
import { jobQueueInputsSchema } from "../../jobqueue/schema";
import { planJobQueueChange } from "../../jobqueue/planner";
import { observedQueueOutputs } from "../../jobqueue/outputs";
import type { JobQueueModel } from "../../anyscale/job-queue-models";
import { ServiceInputsSchema as zenmlInputsSchema } from "../../zenml/schema";
import { planServiceChange } from "../../zenml/planner";
import * as computeConfigProvider from "../../computeconfig/dynamic";
import * as containerImageProvider from "../../containerimage/dynamic";
import { computeConfigName } from "../../computeconfig/schema";
import { COMPUTE_CONFIG_OUTPUTS, planComputeConfigChange } from "../../computeconfig/planner";
import { singleComputeConfigSchema } from "../../anyscale/compute-config";
import { timeoutsSchema } from "../../core/timeouts";
import { containerImageInputsSchema } from "../../containerimage/schema";
import { planContainerImageChange } from "../../containerimage/planner";
import { z as zod } from "zod";
import { anyscaleRegistrationFailures, anyscaleServiceRefSchema, expandAnyscaleRegistration } from "./zenml-anyscale";
import type { ChangedField } from "./detailed-diff";
import { isHeld } from "../../service/rollout-status";
import { describeJobPlan, describeJobQueuePlan, describeNewVersionPlan, describeServicePlan, describeZenmlPlan } from "./plan-lines";

type Props = Record<string, unknown>;

/** The exports every provider/<resource>/dynamic.ts module has. */
export interface ProviderModule {
  configure(req: dynamic.ConfigureRequest): Promise<void>;
  check(olds: Props, news: Props): Promise<dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<dynamic.DiffResult>;
  create(props: Props): Promise<dynamic.CreateResult>;
  read(id: string, props: Props): Promise<dynamic.ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

/** Who the resource is, from its URN: what the sdk classes read from pulumi.getProject()/getStack(). */
export interface ResourceIdentity {
  project: string;
  stack: string;
  name: string;
}

export interface PlanVerdict {
  fields: ChangedField[];
  line?: string;
}

export interface ResourceAdapter {
  token: string;
  module: ProviderModule;
  /** The zod object schema of the inputs: the package schema is generated from it. */
  inputSchema: z.ZodType;
  /** docs/resources page whose input table describes the inputs. */
  docsPage: string;
  /** Inputs the schema lists as optional although the zod schema requires them: the host fills them (e.g. name from the resource name). */
  defaultedInputs?: readonly string[];
  /** Inputs the user never writes (set by the host or by check): not in the schema, never a user change. */
  internal: ReadonlySet<string>;
  /** Output-only properties. */
  computedOutputs: readonly string[];
  secretOutputs: readonly string[];
  /** Failures only this host can find (inputs the sdk classes take as arguments instead); reported like check's. */
  precheck?(news: Props): { property: string; reason: string }[];
  /** Adds the internal inputs the sdk class would have set, from the resource's identity. */
  prepare(news: Props, identity: ResourceIdentity, secretPaths: readonly string[]): Props;
  /** The planner's verdict; `state` is the old outputs (what the engine sends as olds, as in the dynamic host). */
  plan(state: Props, news: Props, diff: dynamic.DiffResult): PlanVerdict;
}

export function scopeOf(identity: ResourceIdentity): string {
  return `${identity.project}/${identity.stack}/${identity.name}`;
}

/** Keys an output mapper sets, found by running it over a stand-in that answers every read. */
export function keysProduced(mapper: (model: never) => Props): string[] {
  const handler: ProxyHandler<() => void> = {
    get: (_target, key) => (key === Symbol.toPrimitive ? () => "" : key === "length" ? 0 : standIn),
    apply: () => standIn,
  };
  const standIn: unknown = new Proxy(() => undefined, handler);
  return Object.keys(mapper(standIn as never));
}

const service: ResourceAdapter = {
  token: "anyscale:index:Service",
  module: serviceProvider as unknown as ProviderModule,
  inputSchema: serviceInputsObject,
  docsPage: "service.md",
  internal: new Set(["autoNamePrefix", "ownershipScope", "sourceHash"]),
  computedOutputs: keysProduced((model: ServiceModel) => computedFromService(model, { status: "succeeded" }) as unknown as Props),
  secretOutputs: ["queryAuthToken"],
  prepare(news, identity) {
    return {
      ...news,
      ...(news.name === undefined ? { autoNamePrefix: identity.name } : {}),
      ownershipScope: scopeOf(identity),
    };
  },
  plan(state, news) {
    const olds = inputsFromProps(state);
    const plan = planServiceUpdate(olds, inputsFromProps(news));
    const replaces = new Set(plan.kind === "replace" ? plan.replaces : []);
    const deployment = state.deployment as DeploymentRecord | undefined;
    const primary = state.primaryVersion as { name?: string } | null | undefined;
    const rollout = inputsFromProps(news).rollout;
    return {
      fields: plan.changed.map((path) => ({ path, replace: replaces.has(path) })),
      line: describeServicePlan(plan, {
        primaryName: primary?.name,
        schedule: rollout?.steps ? { steps: rollout.steps, gated: rollout.healthCheck !== undefined } : undefined,
        heldSchedulePercent: isHeld(state.rolloutStatus) ? state.rolloutStatus.percent : undefined,
        declaredCanaryPercent: rollout?.canaryPercent,
        oldCanaryPercent: declaredCanaryPercent(olds),
        needsConvergence: deployment?.status === "failed" || state.state === "TERMINATED",
        internal: this.internal,
      }),
    };
  },
};

const JOB_INTERNAL = new Set(["submissionScope", "sourceHash", "secretEnvVarNames"]);

const job: ResourceAdapter = {
  token: "anyscale:index:Job",
  module: jobProvider as unknown as ProviderModule,
  inputSchema: jobInputsSchema,
  docsPage: "job.md",
  internal: JOB_INTERNAL,
  computedOutputs: JOB_OUTPUT_FIELDS,
  secretOutputs: [],
  prepare(news, identity, secretPaths) {
    // As the sdk class does: env vars the program marked secret are masked in log tails and errors.
    const secretEnv = secretPaths.filter((path) => path.startsWith("envVars.")).map((path) => path.slice("envVars.".length));
    return { ...news, submissionScope: scopeOf(identity), ...(secretEnv.length > 0 ? { secretEnvVarNames: secretEnv } : {}) };
  },
  plan(state, news) {
    const plan = planJobChange(state, news);
    const tagsChanged = Object.keys(plan.tagChanges.upsert).length + plan.tagChanges.remove.length > 0 || isUnknown(news.tags);
    return {
      fields: [
        ...plan.replaces.map((path) => ({ path, replace: true })),
        ...plan.behaviourChanges.map((path) => ({ path, replace: false })),
        ...(tagsChanged ? [{ path: "tags", replace: false }] : []),
      ],
      line: describeJobPlan(plan, this.internal),
    };
  },
};

const jobQueue: ResourceAdapter = {
  token: "anyscale:index:JobQueue",
  module: jobQueueProvider as unknown as ProviderModule,
  inputSchema: jobQueueInputsSchema,
  docsPage: "job-queue.md",
  internal: new Set(["submissionScope", "generatedName"]),
  computedOutputs: keysProduced((model: JobQueueModel) => observedQueueOutputs(model)),
  secretOutputs: [],
  prepare(news, identity) {
    return { ...news, submissionScope: scopeOf(identity) };
  },
  plan(state, news) {
    const plan = planJobQueueChange(state, news);
    const inPlace = Object.keys(plan.inPlace).map((wire) => (wire === "max_concurrency" ? "maxConcurrency" : "idleTimeoutS"));
    const tagsChanged = Object.keys(plan.tagChanges.upsert).length + plan.tagChanges.remove.length > 0 || isUnknown(news.tags);
    const settings = state.deletionPolicy !== news.deletionPolicy ? ["deletionPolicy"] : [];
    return {
      fields: [
        ...plan.replaces.map((path) => ({ path, replace: true })),
        ...[...inPlace, ...settings].map((path) => ({ path, replace: false })),
        ...(tagsChanged ? [{ path: "tags", replace: false }] : []),
      ],
      line: describeJobQueuePlan(plan, this.internal),
    };
  },
};

const zenmlService: ResourceAdapter = {
  token: "anyscale:zenml:Service",
  module: zenmlProvider as unknown as ProviderModule,
  // `anyscaleService` is zenml.Service.forAnyscale for programs that cannot call it.
  inputSchema: zenmlInputsSchema.extend({ anyscaleService: anyscaleServiceRefSchema.optional() }),
  docsPage: "zenml-service.md",
  defaultedInputs: ["name", "serviceType"],
  internal: new Set(["registrationKey", "projectId"]),
  computedOutputs: ["state", "userId", "created", "updated"],
  secretOutputs: [],
  precheck: anyscaleRegistrationFailures,
  prepare(news, identity) {
    return expandAnyscaleRegistration(news, identity.name);
  },
  plan(state, news, diff) {
    const plan = planServiceChange(state, news, isUnknown);
    const recordGone = plan.replaces.length === 0 && (diff.replaces ?? []).includes("registrationKey");
    return {
      fields: [...plan.replaces.map((path) => ({ path, replace: true })), ...plan.updates.map((path) => ({ path, replace: false }))],
      line: describeZenmlPlan(plan, this.internal, recordGone),
    };
  },
};

/** As the sdk class: the registered name defaults to the resource name. */
function nameDefaulted(news: Props, identity: ResourceIdentity): Props {
  return news.name === undefined ? { ...news, name: identity.name } : news;
}

const computeConfig: ResourceAdapter = {
  token: "anyscale:index:ComputeConfig",
  module: computeConfigProvider as unknown as ProviderModule,
  // The resource's inputs are the SDK's ComputeConfig fields (or `configs`, the multi-resource form) beside name and timeouts.
  inputSchema: singleComputeConfigSchema("camel").extend({
    name: computeConfigName.optional(),
    configs: zod.array(singleComputeConfigSchema("camel")).optional(),
    timeouts: timeoutsSchema.optional(),
  }),
  docsPage: "compute-config.md",
  defaultedInputs: ["name"],
  internal: new Set(),
  computedOutputs: COMPUTE_CONFIG_OUTPUTS.filter((field) => field !== "__provider"),
  secretOutputs: [],
  prepare: nameDefaulted,
  plan(state, news) {
    const plan = planComputeConfigChange(state, news);
    return { fields: plan.replaces.map((path) => ({ path, replace: true })), line: describeNewVersionPlan(plan.replaces, [], "a new version is registered, then the old one archived") };
  },
};

const containerImage: ResourceAdapter = {
  token: "anyscale:index:ContainerImage",
  module: containerImageProvider as unknown as ProviderModule,
  inputSchema: containerImageInputsSchema,
  docsPage: "container-image.md",
  defaultedInputs: ["name"],
  internal: new Set(["sourceHash"]),
  computedOutputs: ["imageId", "imageUri", "buildId", "buildState", "version"],
  secretOutputs: [],
  prepare: nameDefaulted,
  plan(state, news) {
    const plan = planContainerImageChange(state, news);
    return {
      fields: [...plan.replaces.map((path) => ({ path, replace: true })), ...plan.newVersion.map((path) => ({ path, replace: false }))],
      line: describeNewVersionPlan(plan.replaces, plan.newVersion, "a new image is created"),
    };
  },
};

export const RESOURCES: readonly ResourceAdapter[] = [service, job, jobQueue, zenmlService, computeConfig, containerImage];

export function adapterFor(token: string): ResourceAdapter | undefined {
  return RESOURCES.find((adapter) => adapter.token === token);
}

/** Configures every shared provider module from the plugin's config; a module that cannot be configured reports why when used. */
export async function configureAll(source: ConfigSource): Promise<Map<ResourceAdapter, Error>> {
  const failures = new Map<ResourceAdapter, Error>();
  for (const adapter of RESOURCES) {
    try {
      await adapter.module.configure({ config: source } as unknown as dynamic.ConfigureRequest);
    } catch (error) {
      failures.set(adapter, error as Error);
    }
  }
  return failures;
}
