// Quickstart: one Anyscale Service answering on a query URL behind a bearer token, and one small Job.
// `bash scripts/main.sh` deploys this program against the local control plane.
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

// Knobs you can turn with `pulumi config set` (the e2e suite does) instead of editing code.
const config = new pulumi.Config();

const service = new anyscale.Service("hello", {
  name: config.get("serviceName") ?? "hello-quickstart",
  imageUri: config.get("imageUri") ?? "anyscale/ray:2.48.0-py311",
  workingDir: "app",
  applications: [{ name: "hello", import_path: "main:app", route_prefix: "/" }],
  // A new version takes over gradually; with canaryPercent it stops at that share of traffic.
  rollout: { canaryPercent: config.getNumber("canaryPercent") },
  tags: config.getObject<Record<string, string>>("tags") ?? { team: "quickstart" },
});

const job = new anyscale.Job("hello-job", {
  name: config.get("jobName") ?? "hello-quickstart-job",
  entrypoint: "python main.py",
  workingDir: "job",
  waitFor: "succeeded",
});

export const serviceName = service.name;
export const queryUrl = service.queryUrl;
export const queryAuthToken = service.queryAuthToken;
export const serviceState = service.state;
export const primaryVersion = service.primaryVersion;
export const canaryVersion = service.canaryVersion;
export const jobId = job.id;
export const jobState = job.state;
