// Data functions: reading Anyscale objects this program does not manage, into stack outputs.
//
// In real life the catalog service belongs to another team and the nightly job to a scheduler; to be
// self-contained this program creates both first, then reads them back only through data functions
// (the Output forms wait for their arguments, so they run once the objects exist).
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

const config = new pulumi.Config();
const team = config.get("team") ?? "platform";

const serviceName = config.get("serviceName") ?? "catalog-data-functions";
const jobName = config.get("jobName") ?? "nightly-data-functions";

const catalog = new anyscale.Service("catalog", {
  name: serviceName,
  workingDir: "app",
  applications: [{ name: "catalog", import_path: "main:app", route_prefix: "/" }],
  tags: { team, env: "prod" },
});

const nightly = new anyscale.Job("nightly", {
  name: jobName,
  entrypoint: "python main.py",
  workingDir: "job",
  waitFor: "succeeded",
  tags: { team, schedule: "nightly" },
});

// A service by name, as `anyscale service status` shows it (never its query auth token). For a service
// someone else runs, this is just `anyscale.getServiceOutput({ name: "search-api" })`; here the lookup
// waits for the catalog's id, because a name known at preview would be looked up before it exists.
const catalogStatus = catalog.id.apply(() => anyscale.getService({ name: serviceName }));
export const catalogState = catalogStatus.state;
export const catalogQueryUrl = catalogStatus.queryUrl;
export const catalogNeedsToken = catalogStatus.queryAuthTokenEnabled;

// Every running production service of these teams: OR within a tag key, AND across keys.
export const prodServices = catalog.id
  .apply(() => anyscale.listServices({ tags: { team: [team, "search"], env: "prod" }, states: ["RUNNING"], sort: "-created_at", maxItems: 20 }))
  .apply((result) => result.services.map((service) => `${service.name} (${service.state})`));

// The newest finished run of the nightly job, and the end of its log (Output forms: they run once the
// job's id is known).
export const lastNightlyState = nightly.id
  .apply(() => anyscale.listJobs({ name: jobName, states: ["SUCCEEDED", "FAILED"], sortField: "CREATED_AT", sortOrder: "DESC", maxItems: 1 }))
  .apply((result) => result.jobs[0]?.state ?? "none");
export const lastNightlyRuns = anyscale.getJobOutput({ id: nightly.id }).apply((job) => job.runs.map((run) => `${run.name}: ${run.state}`));
export const lastNightlyLogTail = anyscale.getJobLogsOutput({ id: nightly.id, mode: "TAIL", maxLines: 3 }).logs;

// Tags, and job queues of the project.
export const catalogTags = anyscale.getTagsOutput({ resource: "service", id: catalog.id }).tags;
export const jobQueueNames = nightly.id
  .apply(() => anyscale.listJobQueues({ includeArchived: true, maxItems: 10 }))
  .apply((result) => result.jobQueues.map((queue) => queue.name ?? queue.id));

// A read-only reference to an existing service: Pulumi reads it, never changes or deletes it.
const catalogReference = anyscale.Service.get("catalog-reference", catalog.id);
export const referencedServiceState = catalogReference.state;

// How many services the caller created (the CLI's --created-by-me), counted once the catalog exists.
export const servicesCreatedByMe = catalog.id
  .apply(() => anyscale.listServices({ createdByMe: true, maxItems: 50 }))
  .apply((result) => result.services.length);
