// The Service's outputs, declared once: their types (outputs.ts builds values of exactly these), their
// descriptions (zod metadata, for the package schema), and which are secret. The SDK's output names and
// the native schema's output types are derived from here.
import { z } from "zod";
import type { RejectionRecord } from "./rejection";
import type { GateRecord, RolloutStatus } from "./rollout-status";

/** How a recorded rejection reads; the SDK's classes warn with it, as the plugin's plan line does. */
export { describeRejection } from "./rejection";

const nullableString = (description: string, meta: { service?: true } = {}) => z.string().nullable().meta({ description, ...meta });

export const versionSummarySchema = z
  .object({
    id: z.string().meta({ description: "Version id." }),
    name: z.string().meta({ description: "Version name (user-given or chosen by the platform)." }),
    state: z.string().meta({ description: "Version state, e.g. RUNNING." }),
    weight: z.number().meta({ description: "Share of traffic, 0-100." }),
  })
  .strict();
export type VersionSummary = z.infer<typeof versionSummarySchema>;

export const deploymentRecordSchema = z
  .object({
    status: z.enum(["succeeded", "failed", "interrupted"]).meta({ description: "interrupted: refresh found a rollout no finished up recorded (a killed up)." }),
    versionId: z.string().optional(),
    buildId: z.string().optional(),
    computeConfigId: z.string().optional(),
    rayServeConfigDigest: z.string().optional(),
    message: z.string().optional(),
  })
  .strict()
  .meta({ description: "What the provider last deployed: lets refresh tell out-of-band changes from its own, and a failed deploy resume." });
export type DeploymentRecord = z.infer<typeof deploymentRecordSchema>;

export const gateRecordSchema = z
  .object({
    step: z.number(),
    percent: z.number(),
    requests: z.number(),
    succeeded: z.number(),
    successRate: z.number(),
    p95LatencyMs: z.number().nullable(),
    passed: z.boolean(),
    reason: z.string().optional(),
    webhookStatus: z.number().optional(),
    canary: z
      .object({ share: z.number(), samples: z.number(), successRate: z.number(), successRateLow: z.number(), successRateHigh: z.number(), p95LatencyMs: z.number().nullable() })
      .strict()
      .optional()
      .meta({ description: "The canary's own values, inferred from the blend and the primary measured alone (95% bounds)." }),
    primary: z
      .object({ requests: z.number(), successRate: z.number(), p95LatencyMs: z.number().nullable() })
      .strict()
      .nullable()
      .optional()
      .meta({ description: "The primary measured alone before the canary took traffic (null: none, e.g. a resumed rollout)." }),
    measurements: z
      .object({ planned: z.number(), taken: z.number(), notPassed: z.number() })
      .strict()
      .optional()
      .meta({ description: "How many measurements the gate took and how many did not pass." }),
    at: z.string(),
  })
  .strict();

export const rejectionRecordSchema = z
  .object({
    versionId: z.string().nullable(),
    versionName: z.string().nullable(),
    inputsDigest: z.string().meta({ description: "sha256 of the version-defining inputs: the same program has the same digest." }),
    step: z.number().nullable(),
    percent: z.number().nullable(),
    reason: z.string(),
    at: z.string(),
  })
  .strict()
  .meta({ description: "The version a gate or deadline rolled back, kept so the same program does not roll it out again." });

export const rolloutStatusSchema = z
  .object({
    phase: z.enum(["progressing", "paused", "completed", "rolledBack", "failed"]),
    step: z.number().nullable(),
    steps: z.number(),
    percent: z.number(),
    versionId: z.string().nullable(),
    stepStartedAt: z.string().nullable(),
    lastGate: gateRecordSchema.nullable(),
    message: z.string().optional(),
    rejected: rejectionRecordSchema.optional(),
  })
  .strict();

// The rollout status is built by schedule.ts as a RolloutStatus: the declared shape must stay that type.
// Key sets are compared too: structural assignability alone lets an optional field go undeclared.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const rolloutStatusIsDeclared: Same<z.infer<typeof rolloutStatusSchema>, RolloutStatus> &
  Same<z.infer<typeof gateRecordSchema>, GateRecord> &
  Same<z.infer<typeof rejectionRecordSchema>, RejectionRecord> = true;
void rolloutStatusIsDeclared;

export const serviceOutputsSchema = z
  .object({
    serviceId: z.string().meta({ description: "The service's id (also the resource id).", service: true }),
    state: z.string().meta({ description: "The service's state, e.g. RUNNING, ROLLING_OUT, TERMINATED." }),
    queryUrl: nullableString("Base URL to query the service.", { service: true }),
    queryAuthToken: z.string().nullable().meta({ description: "Bearer token for queries; null when queryAuthTokenEnabled is false.", secret: true, service: true }),
    hostname: nullableString("Hostname of the query URL.", { service: true }),
    creator: nullableString("Email of the creator.", { service: true }),
    creatorId: nullableString("Id of the creator.", { service: true }),
    projectId: z.string().meta({ description: "Id of the service's project.", service: true }),
    cloudId: nullableString("Id of the service's cloud.", { service: true }),
    errorMessage: nullableString("The platform's last error for the service."),
    primaryVersion: versionSummarySchema.nullable().meta({ description: "The version serving (most of) the traffic." }),
    canaryVersion: versionSummarySchema.nullable().meta({ description: "Present while a canary is rolling out or held." }),
    versions: z.array(versionSummarySchema).meta({ description: "The active versions." }),
    deployment: deploymentRecordSchema,
    rolloutStatus: rolloutStatusSchema.nullable().meta({ description: "Where a scheduled rollout (rollout.steps) stands: step, share, when the step started, the last gate's measurements." }),
  })
  .strict();
export type ServiceComputed = z.infer<typeof serviceOutputsSchema>;

/** The output-only property names. */
export const OUTPUT_NAMES = Object.keys(serviceOutputsSchema.shape) as Array<keyof ServiceComputed>;

function declared(name: keyof ServiceComputed): { secret?: boolean; service?: boolean } | undefined {
  return z.globalRegistry.get(serviceOutputsSchema.shape[name]) as { secret?: boolean; service?: boolean } | undefined;
}

/**
 * Outputs of the service itself, not of a version (declared `service: true`): a rollout leaves them as
 * they are, so a preview of one shows them known. The token is the exception when the rollout turns
 * query auth on or off.
 */
export const SERVICE_LEVEL_OUTPUTS = OUTPUT_NAMES.filter((name) => declared(name)?.service === true);

/** Outputs declared secret (the hosts mark them). */
export const SECRET_OUTPUTS = OUTPUT_NAMES.filter((name) => declared(name)?.secret === true);
