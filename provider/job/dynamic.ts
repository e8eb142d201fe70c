// The anyscale.Job dynamic provider. This module's exports object IS the provider (see
// docs/ARCHITECTURE.md): the resource class passes `require("../provider/job/dynamic")`.
import * as fs from "node:fs";
import { LOOK_THEN_RESEND_ATTEMPTS } from "../core/http";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AnyscaleConnectionError, AnyscaleError, AnyscaleTimeoutError, InternalServerError, WaitError } from "../core/errors";
import { containsUnknown, throwInitFailure, toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { timeoutMsFor, formatDuration } from "../core/timeouts";
import { waitFor, type PollSchedule } from "../core/waiter";
import type { AnyscaleClient } from "../anyscale/client";
import type { JobsClient } from "../anyscale/jobs-client";
import { findComputeConfigId, resolveBuildId, resolveComputeConfig, resolveProjectId } from "../anyscale/resolve";
import { resolveWorkloadBuildId } from "../anyscale/images";
import { LazyProviderContext } from "./context";
import { BACKEND_FINAL_STATES, jobStateFromBackend } from "./job-state";
import { logTailForError, logTailForOutput } from "./log-tail";
import type { JobModel } from "./models";
import { inputsFromJobModel, JOB_OUTPUT_FIELDS, observedJobOutputs } from "./outputs";
import { planJobChange } from "./planner";
import { buildSubmitJobBody, type ResolvedJobIds } from "./request-body";
import { buildRuntimeEnv } from "./runtime-env";
import { DEFAULT_LOG_LINES, jobInputsSchema, type NormalizedJobInputs, type WaitFor } from "./schema";
import { resolveConnectionIds } from "./connections";
import { localPathFailures, localSourceHash } from "./local-sources";
import { defaultJobName, submissionKeyFor, SUBMISSION_KEY_TAG } from "./submission-key";
import { userVisibleTags } from "../core/reserved-tags";
import { jobWaitRules, type JobObservation } from "./wait-rules";

const DEFAULT_CREATE_TIMEOUT_MS = 30 * 60_000; // the SDK's `anyscale job wait` default
const DEFAULT_DELETE_TIMEOUT_MS = 10 * 60_000;
/** Short first polls so quick jobs finish quickly; capped near the SDK's 10 s interval. */
const JOB_POLL_SCHEDULE: PollSchedule = { initialDelayMs: 300, maxDelayMs: 10_000, factor: 1.6, jitter: 0.2 };
/** After an ambiguous submit failure, how often to look for the job before submitting again. */
const SUBMIT_LOOKUP_DELAY_MS = 500;

const context = new LazyProviderContext();

type Inputs = Record<string, unknown>;

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  context.configure(req.config);
}

// ---- check ----

function withDefaults(inputs: Inputs): Inputs {
  return {
    ...inputs,
    name: inputs.name ?? defaultJobName(inputs),
    waitFor: inputs.waitFor ?? "succeeded",
    deletionPolicy: inputs.deletionPolicy ?? "archive",
    logLines: inputs.logLines ?? DEFAULT_LOG_LINES,
  };
}

export async function check(_olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  const { __provider, sourceHash: _previousHash, ...userInputs } = news;
  const validation = validateAllowingUnknowns(jobInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  if (!validation.ok) {
    // Preview with unknowns elsewhere: the local files are still fingerprinted when their paths are known.
    const localFields = ["workingDir", "pyModules", "requirements", "containerfile", "excludes"].map((field) => userInputs[field]);
    const sourceHash = containsUnknown(localFields) ? undefined : safeSourceHash(userInputs);
    return { inputs: toPlainJson({ ...withDefaults(userInputs), sourceHash, __provider }) };
  }
  const checked = validation.value as Inputs;
  const pathFailures = localPathFailures(checked);
  if (pathFailures.length > 0) return { failures: pathFailures };
  // Local code is part of what runs: an edit under an unchanged path is a new submission, visible in preview.
  const sourceHash = localSourceHash(checked);
  return { inputs: toPlainJson({ ...withDefaults(checked), sourceHash, __provider }) };
}

function safeSourceHash(inputs: Inputs): string | undefined {
  try {
    return localSourceHash(inputs);
  } catch {
    // Malformed values are reported by check once they are known.
    return undefined;
  }
}

// ---- diff ----

export async function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planJobChange(olds, news);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
}

// ---- create ----

export async function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  const job = inputs as unknown as NormalizedJobInputs;
  const { client, jobs } = context.get();
  const key = submissionKeyFor(inputs);
  const jobId = (await findSubmittedJob(client, jobs, key, job.name)) ?? (await submitOnce(client, jobs, job, key));
  const outs = await waitAndDescribe(jobId, inputs, "create");
  return { id: jobId, outs };
}

/** The live, non-archived job this resource already submitted, if any (verified by its tag, not only the server's filter). */
async function findSubmittedJob(client: AnyscaleClient, jobs: JobsClient, key: string, name: string): Promise<string | undefined> {
  const candidates = await jobs.searchJobs({ tags: { [SUBMISSION_KEY_TAG]: key }, name });
  for (const candidate of candidates.filter((job) => job.name === name && !job.archived_at)) {
    const tags = await client.listTags("job", candidate.id);
    if (tags[SUBMISSION_KEY_TAG] === key) return candidate.id;
  }
  return undefined;
}

function isAmbiguousFailure(error: unknown): boolean {
  return error instanceof AnyscaleConnectionError || error instanceof AnyscaleTimeoutError || error instanceof InternalServerError;
}

/**
 * Submits the job. When the answer is lost (connection reset, timeout, 5xx) the job may exist anyway,
 * so the provider looks for it by its submission key before trying again: never two jobs for one resource.
 */
async function submitOnce(client: AnyscaleClient, jobs: JobsClient, job: NormalizedJobInputs, key: string): Promise<string> {
  const body = await buildBody(client, job, key);
  for (let attempt = 1; ; attempt++) {
    try {
      return (await jobs.submitJob(body)).id;
    } catch (error) {
      if (!isAmbiguousFailure(error) || attempt >= LOOK_THEN_RESEND_ATTEMPTS) throw error;
      await sleep(SUBMIT_LOOKUP_DELAY_MS * attempt);
      const found = await findSubmittedJob(client, jobs, key, job.name);
      if (found) return found;
    }
  }
}

async function buildBody(client: AnyscaleClient, job: NormalizedJobInputs, key: string): Promise<Inputs> {
  const { settings } = context.get();
  // As in the SDK: the job's own cloud/project, else the provider's (anyscale:cloud / anyscale:project), else the defaults.
  const compute = await resolveComputeConfig(client, job.computeConfig, job.cloud ?? settings.defaultCloud);
  const projectId = await resolveProjectId(client, job.project ?? settings.defaultProject, compute.cloudId);
  const buildId = await resolveWorkloadBuildId(
    client,
    { imageName: `image-for-job-${job.name}`, imageUri: job.imageUri, containerfile: job.containerfile, registryLoginSecret: job.registryLoginSecret, rayVersion: job.rayVersion },
    (file) => fs.readFileSync(file, "utf8"),
    () => resolveBuildId(client, { rayVersion: job.rayVersion }),
  );
  const queueComputeName = job.jobQueue?.jobQueueSpec?.computeConfig;
  const ids: ResolvedJobIds = {
    projectId,
    computeConfigId: compute.computeConfigId,
    buildId,
    connectionIds: await resolveConnectionIds(client, job.connections),
    queueComputeConfigId: queueComputeName ? await findComputeConfigId(client, queueComputeName, compute.cloudId) : undefined,
  };
  const runtimeEnv = await buildRuntimeEnv(client, compute.cloudId, job);
  return buildSubmitJobBody(job, ids, runtimeEnv, key);
}

// ---- waiting and describing ----

function observationOf(job: JobModel): JobObservation {
  return { backendState: job.state.current_state, error: job.state.error };
}

const WAIT_TARGET: Record<WaitFor, string> = { submitted: "be submitted", running: "start running", succeeded: "succeed" };

/** Waits per `waitFor`; a failed or timed-out wait records the job (never orphaned) with the platform's error and the log tail. */
async function waitAndDescribe(jobId: string, inputs: Inputs, operation: "create" | "update"): Promise<Inputs> {
  const job = inputs as unknown as NormalizedJobInputs;
  const { jobs } = context.get();
  const waitForTarget = job.waitFor ?? "succeeded";
  const timeoutMs = timeoutMsFor(job.timeouts, operation, DEFAULT_CREATE_TIMEOUT_MS);
  if (waitForTarget !== "submitted") {
    try {
      await waitFor({
        description: `job '${job.name}' (${jobId}) to ${WAIT_TARGET[waitForTarget]}`,
        observe: async () => observationOf(await requireJob(jobs, jobId)),
        rules: jobWaitRules(waitForTarget),
        timeoutMs,
        schedule: JOB_POLL_SCHEDULE,
        describe: (observed) => `${jobStateFromBackend(observed.backendState)} (${observed.backendState})`,
      });
    } catch (error) {
      if (!(error instanceof WaitError)) throw error;
      const outs = await describe(jobId, inputs);
      const { settings } = context.get();
      const logSection = logTailForError(
        outs.logTailRaw ? String(outs.logTailRaw).split("\n") : [],
        [settings.token, ...secretEnvValues(job)],
        `\`anyscale job logs --id ${jobId}\``,
      );
      delete outs.logTailRaw;
      const headline =
        error.outcome === "timeout"
          ? `${error.message} The job was left ${String(outs.state)} on the platform, not terminated; run \`pulumi up\` again to keep waiting ` +
            `(raise the wait with customTimeouts, now ${formatDuration(timeoutMs)}) or \`pulumi destroy\` to stop it.`
          : finalStateMessage(job.name, jobId, outs);
      throwInitFailure(jobId, outs, inputs, `${headline}\n${logSection}`);
    }
  }
  const outs = await describe(jobId, inputs);
  delete outs.logTailRaw;
  return outs;
}

/** "Job 'etl' (prodjob_…) FAILED (OUT_OF_RETRIES): <the platform's error>" — the platform's words, not ours. */
function finalStateMessage(name: string, jobId: string, outs: Inputs): string {
  const state = String(outs.state);
  const backend = outs.backendState && outs.backendState !== state ? ` (${String(outs.backendState)})` : "";
  const why = typeof outs.error === "string" && outs.error ? `: ${outs.error}` : "";
  const verb = state === "TERMINATED" ? "was TERMINATED before it finished" : state;
  return `Job '${name}' (${jobId}) ${verb}${backend}${why}`;
}

async function requireJob(jobs: JobsClient, jobId: string): Promise<JobModel> {
  const job = await jobs.getJob(jobId);
  if (!job) throw new AnyscaleError(`Job ${jobId} no longer exists on the platform (GET /api/v2/decorated_ha_jobs/${jobId} answered 404).`);
  return job;
}

/** Values of env vars the user marked secret, or whose names say they are credentials. */
function secretEnvValues(job: NormalizedJobInputs & { secretEnvVarNames?: string[] }): string[] {
  const secretNames = new Set(job.secretEnvVarNames ?? []);
  return Object.entries(job.envVars ?? {})
    .filter(([name]) => secretNames.has(name) || /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY/i.test(name))
    .map(([, value]) => value);
}

/** Outputs: the inputs echoed, plus what the platform reports now (state, runs, log tail). `logTailRaw` is for the caller only. */
async function describe(jobId: string, inputs: Inputs, model?: JobModel): Promise<Inputs> {
  const { jobs, settings } = context.get();
  const job = model ?? (await requireJob(jobs, jobId));
  const runs = await jobs.listJobRuns(jobId);
  const logLines = typeof inputs.logLines === "number" ? inputs.logLines : DEFAULT_LOG_LINES;
  const runId = job.last_job_run_id ?? runs[runs.length - 1]?.id;
  let rawLines: string[] = [];
  let logError: string | undefined;
  if (runId && logLines > 0) {
    try {
      rawLines = await jobs.logTail(runId, logLines);
    } catch (error) {
      // A job's outcome does not depend on whether its log can be read, so this is reported, not thrown.
      logError = error instanceof Error ? error.message : String(error);
    }
  }
  const secrets = [settings.token, ...secretEnvValues(inputs as unknown as NormalizedJobInputs)];
  const observed = observedJobOutputs(job, runs, logTailForOutput(rawLines, secrets), logError);
  const { __provider: _provider, ...echoed } = inputs;
  return toPlainJson({ ...echoed, ...observed, jobId, submissionKey: submissionKeyFor(inputs), logTailRaw: rawLines.join("\n") });
}

// ---- read ----

export async function read(id: string, props?: Inputs): Promise<dynamic.ReadResult> {
  const { jobs, client } = context.get();
  const job = await jobs.getJob(id);
  if (!job) return {};
  const liveTags = userVisibleTags(await client.listTags("job", id));
  const managed = props && typeof props.entrypoint === "string";
  const inputs: Inputs = managed ? pickInputs(props) : withDefaults({ ...inputsFromJobModel(job), waitFor: "submitted", deletionPolicy: "keep" });
  if (managed ? props.tags !== undefined || Object.keys(liveTags).length > 0 : Object.keys(liveTags).length > 0) inputs.tags = liveTags;
  const outs = await describe(id, inputs, job);
  delete outs.logTailRaw;
  return { id, props: outs, inputs };
}

const OUTPUT_ONLY_FIELDS = new Set<string>([...JOB_OUTPUT_FIELDS, "logTailRaw"]);

function pickInputs(props: Inputs): Inputs {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !OUTPUT_ONLY_FIELDS.has(key)));
}

// ---- update ----

export async function update(id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  const { client } = context.get();
  const plan = planJobChange(olds, news);
  if (plan.replaces.length > 0) {
    // The engine replaces on these; reaching here means a diff/engine mismatch, never a silent partial update.
    throw new AnyscaleError(`Job ${id}: ${plan.replaces.join(", ")} cannot change in place; the job must be replaced.`);
  }
  await client.upsertTags("job", id, plan.tagChanges.upsert);
  await client.deleteTags("job", id, plan.tagChanges.remove);
  return { outs: await waitAndDescribe(id, news, "update") };
}

// ---- delete ----

async function deleteJob(id: string, props: Inputs): Promise<void> {
  const { jobs, client } = context.get();
  const job = await jobs.getJob(id);
  if (!job) return;
  const policy = (props.deletionPolicy as string | undefined) ?? "archive";
  if (policy === "keep") {
    // Left as it is, running or not; only the submission key is released so an identical resource submits afresh.
    await client.deleteTags("job", id, [SUBMISSION_KEY_TAG]).catch(ignoreNotFound);
    return;
  }
  const timeoutMs = timeoutMsFor(props.timeouts as NormalizedJobInputs["timeouts"], "delete", DEFAULT_DELETE_TIMEOUT_MS);
  let current = job;
  if (!BACKEND_FINAL_STATES.has(current.state.current_state)) {
    await jobs.terminateJob(id);
    const result = await waitFor({
      description: `job '${job.name}' (${id}) to stop after terminate`,
      observe: async () => (await jobs.getJob(id)) ?? null,
      rules: {
        initialMemory: undefined,
        decide: (observed: JobModel | null) => ({
          memory: undefined,
          decision:
            observed === null || BACKEND_FINAL_STATES.has(observed.state.current_state)
              ? { kind: "success" as const, result: observed, summary: "job stopped" }
              : { kind: "retry" as const, progress: `job is ${observed.state.current_state}` },
        }),
      },
      timeoutMs,
      schedule: JOB_POLL_SCHEDULE,
    });
    if (result.result === null) return;
    current = result.result;
  }
  if (policy === "delete") {
    await jobs.deleteJob(id).catch(ignoreNotFound);
  } else if (!current.archived_at) {
    await jobs.archiveJob(id).catch(ignoreNotFound);
  }
}

export { deleteJob as delete };

function ignoreNotFound(error: unknown): void {
  if ((error as { status?: number }).status === 404) return;
  throw error;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
