// Progressive delivery inputs (rollout.steps, rollout.healthCheck, rollout.progressDeadline): the
// zod shapes and the cross-field rules, each failure on the field the user has to change.
import { z } from "zod";
import { durationSchema, formatDuration, parseDurationMs } from "../core/timeouts";

export const MANUAL_PAUSE = "manual";

const stepPercent = z.number().int("must be a whole number").min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");

/** A pause: a duration ("10m", "90s") or "manual" (hold until the program changes). */
const pauseSchema = z.string().refine((value) => value === MANUAL_PAUSE || parseDurationMs(value) !== undefined, {
  message: 'must be a duration such as "10m", "90s", "1500ms", or "manual"',
});

export const rolloutStepSchema = z
  .object({
    percent: stepPercent,
    pause: pauseSchema.optional(),
  })
  .strict();
export type RolloutStep = z.infer<typeof rolloutStepSchema>;

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

const httpStatusList = z.array(z.number().int().min(100, "must be an HTTP status (100-599)").max(599, "must be an HTTP status (100-599)")).min(1, "must list at least one status");

/** `$.a.b[0]` or `a.b[0]`: object keys and list indexes. */
export const JSON_PATH = /^(\$)?((^|\.)[^.[\]\s]+|\[\d+\])*$/;

/** One request of a golden set and what its answer must be. */
export const goldenRequestSchema = z
  .object({
    path: z.string().startsWith("/", "must start with '/'"),
    method: z.enum(HTTP_METHODS).optional(),
    body: z.string().optional(),
    /** Status codes that count as success (default [200]). */
    expectedStatus: httpStatusList.optional(),
    /** Where in the JSON answer to look, e.g. "$.label" or "scores[0]". */
    jsonPath: z.string().min(1).refine((value) => JSON_PATH.test(value) && value !== "$", { message: 'must be a path such as "$.label" or "$.scores[0]"' }).optional(),
    /** The value found at jsonPath must equal this (string, number, boolean or null). */
    // z.unknown with a refinement, not a union: the package schema then types it Any (a primitive
    // union's JSON schema is a type list, which the native schema would narrow to its first entry).
    equals: z
      .unknown()
      .refine((value) => value === undefined || value === null || ["string", "number", "boolean"].includes(typeof value), { message: "must be a string, number, boolean or null" })
      .optional(),
    /** The number found at jsonPath must be at least / at most this. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** A regular expression the answer body must match. */
    matches: z.string().refine((value) => { try { new RegExp(value); return true; } catch { return false; } }, { message: "must be a valid regular expression" }).optional(),
  })
  .strict();
export type GoldenRequest = z.infer<typeof goldenRequestSchema>;

export const healthCheckSchema = z
  .object({
    /** Path under the query URL, e.g. "/predict". */
    path: z.string().startsWith("/", "must start with '/'").optional(),
    method: z.enum(HTTP_METHODS).optional(),
    /** Request body sent with each probe (JSON text or anything the application accepts). */
    body: z.string().optional(),
    /** Status codes that count as success (default [200]). */
    expectedStatus: z.array(z.number().int().min(100, "must be an HTTP status (100-599)").max(599, "must be an HTTP status (100-599)")).min(1, "must list at least one status").optional(),
    /** Probes per gate (default 20), spread over the step's pause. */
    requests: z.number().int("must be a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").optional(),
    /** Or: probes per second for the whole pause. */
    ratePerSecond: z.number().gt(0, "must be greater than 0").max(1000, "must be at most 1000").optional(),
    /** Lowest acceptable share of successful probes, 0–1 (default 0.99). */
    minSuccessRate: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
    /** Highest acceptable 95th-percentile latency in milliseconds. */
    maxP95LatencyMs: z.number().gt(0, "must be greater than 0").max(600_000, "must be at most 600000 (10 minutes)").optional(),
    /** Per-probe timeout (default 10s); a probe that times out fails. */
    requestTimeout: durationSchema.optional(),
    /** A URL of yours that must answer 2xx (to a POST of the gate's measurements) before traffic moves on. */
    webhookUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    /** Measurements per gate (default 1), each a batch of probes, spread over the pause. */
    measurements: z.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").optional(),
    /** Measurements that may fail (or be inconclusive) before the gate fails (default 0). */
    failureLimit: z.number().int("must be a whole number").min(0, "must be at least 0").optional(),
    /** A gate short of passing only through inconclusive measurements: "fail" rolls back (default), "hold" pauses for a person. */
    inconclusive: z.enum(["fail", "hold"]).optional(),
    /** Canary answers each measurement needs (default 20): its probe count grows as the canary's share shrinks. */
    minCanarySamples: z.number().int("must be a whole number").min(1, "must be at least 1").max(10_000, "must be at most 10000").optional(),
    /** Requests whose answers are checked (a golden set): probes cycle through them instead of path/method/body. */
    golden: z.array(goldenRequestSchema).min(1, "must list at least one request").max(100, "must list at most 100 requests").optional(),
  })
  .strict();
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const DEFAULT_GATE_REQUESTS = 20;
export const DEFAULT_MIN_SUCCESS_RATE = 0.99;
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
export const DEFAULT_MIN_CANARY_SAMPLES = 20;

/** Fields of `rollout` this module owns (merged into the rollout schema). */
export const deliveryFields = {
  steps: z.array(rolloutStepSchema).min(1, "must list at least one step").optional(),
  healthCheck: healthCheckSchema.optional(),
  /** Longest a step may take to be RUNNING at its share; past it the canary is rolled back. */
  progressDeadline: durationSchema.optional(),
  /** Roll out again a version a gate or deadline rejected (default false: the same program is not retried). */
  retryRejected: z.boolean().optional(),
};

interface DeliveryInputs {
  rollout?: {
    strategy?: string;
    canaryPercent?: number;
    steps?: RolloutStep[];
    healthCheck?: HealthCheck;
    progressDeadline?: string;
  };
  applications: Array<{ route_prefix?: string | null }>;
}

type Issue = { path: (string | number)[]; message: string };

/**
 * Cross-field rules for progressive delivery; pure, so check reports them with no request.
 * `updateTimeoutMs` bounds the whole update, so the timed pauses must fit in it.
 */
export function deliveryProblems(inputs: DeliveryInputs, updateTimeoutMs?: number): Issue[] {
  const rollout = inputs.rollout;
  if (!rollout) return [];
  const issues: Issue[] = [];
  const steps = rollout.steps;
  if (steps !== undefined) {
    if (rollout.canaryPercent !== undefined) issues.push({ path: ["rollout", "canaryPercent"], message: "rollout.steps and rollout.canaryPercent are exclusive; set only one" });
    if (rollout.strategy === "inPlace") issues.push({ path: ["rollout", "steps"], message: "is not supported with strategy inPlace" });
    steps.forEach((step, index) => {
      if (index > 0 && step.percent <= steps[index - 1].percent) {
        issues.push({ path: ["rollout", "steps", index, "percent"], message: `shares must be strictly increasing (${step.percent} follows ${steps[index - 1].percent})` });
      }
    });
    const pausesMs = steps.reduce((sum, step) => sum + (step.pause && step.pause !== MANUAL_PAUSE ? (parseDurationMs(step.pause) ?? 0) : 0), 0);
    if (updateTimeoutMs !== undefined && pausesMs >= updateTimeoutMs) {
      issues.push({
        path: ["rollout", "steps"],
        message: `the pauses add up to ${formatDuration(pausesMs)}, which does not fit in the update timeout (${formatDuration(updateTimeoutMs)}); raise timeouts.update (customTimeouts) or shorten the pauses`,
      });
    }
  }
  if (rollout.healthCheck && steps === undefined) issues.push({ path: ["rollout", "healthCheck"], message: "needs rollout.steps (the gate runs during each step's pause)" });
  if (rollout.progressDeadline !== undefined && steps === undefined) issues.push({ path: ["rollout", "progressDeadline"], message: "needs rollout.steps" });
  const check = rollout.healthCheck;
  if (check) {
    if (check.requests !== undefined && check.ratePerSecond !== undefined) {
      issues.push({ path: ["rollout", "healthCheck", "ratePerSecond"], message: "requests and ratePerSecond are exclusive; set only one" });
    }
    if (check.ratePerSecond !== undefined && steps) {
      steps.forEach((step, index) => {
        if (step.percent < 100 && (step.pause === undefined || step.pause === MANUAL_PAUSE)) {
          issues.push({ path: ["rollout", "steps", index, "pause"], message: "a health check with ratePerSecond probes for the length of the pause, so every step below 100% needs a timed pause (or use requests)" });
        }
      });
    }
    const path = check.path ?? "/";
    if (!check.golden && !inputs.applications.some((application) => routeCovers(application.route_prefix, path))) {
      issues.push({ path: ["rollout", "healthCheck", "path"], message: `no application serves '${path}' over HTTP (no route_prefix covers it), so the query URL cannot be probed there` });
    }
    issues.push(...toleranceProblems(check), ...goldenProblems(check, inputs.applications));
  }
  return issues;
}

/** route_prefix null turns HTTP off for an application; omitted means "/". */
function routeCovers(routePrefix: string | null | undefined, path: string): boolean {
  if (routePrefix === null) return false;
  const prefix = (routePrefix ?? "/").replace(/\/+$/, "");
  return prefix === "" || path === prefix || path.startsWith(prefix + "/") || path.startsWith(prefix + "?");
}

function toleranceProblems(check: HealthCheck): Issue[] {
  const measurements = check.measurements ?? 1;
  if (check.failureLimit !== undefined && check.failureLimit >= measurements) {
    return [{ path: ["rollout", "healthCheck", "failureLimit"], message: `must be less than measurements (${measurements}), or the gate could never fail` }];
  }
  return [];
}

function goldenProblems(check: HealthCheck, applications: DeliveryInputs["applications"]): Issue[] {
  const issues: Issue[] = [];
  for (const field of ["path", "method", "body"] as const) {
    if (check.golden && check[field] !== undefined) issues.push({ path: ["rollout", "healthCheck", field], message: "is exclusive with golden (each golden request names its own)" });
  }
  (check.golden ?? []).forEach((request, index) => {
    const at = (field: string) => ["rollout", "healthCheck", "golden", index, field];
    const needsPath = request.equals !== undefined || request.min !== undefined || request.max !== undefined;
    if (needsPath && request.jsonPath === undefined) issues.push({ path: at("jsonPath"), message: "is needed by equals/min/max (where in the answer to look)" });
    if (request.jsonPath !== undefined && !needsPath) issues.push({ path: at("jsonPath"), message: "needs equals, min or max (what the value must be)" });
    if (request.min !== undefined && request.max !== undefined && request.min > request.max) issues.push({ path: at("min"), message: `must not exceed max (${request.max})` });
    if (!applications.some((application) => routeCovers(application.route_prefix, request.path))) {
      issues.push({ path: at("path"), message: `no application serves '${request.path}' over HTTP (no route_prefix covers it)` });
    }
  });
  return issues;
}
