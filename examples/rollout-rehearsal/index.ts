// The same program that deploys to Anyscale, rehearsed against the local plane with the Ray runtime:
//   1. pulumi up                               -> v1 (app-v1) serves 100%
//   2. pulumi config set appVersion v2
//      pulumi up                               -> v2 rolls out at 25%; the gate probes the query URL,
//                                                 v2 fails half its requests, the up fails and v1 is
//                                                 back at 100% (rolloutStatus.phase = "rolledBack")
// Against Anyscale nothing changes but anyscale:host and anyscale:token.
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

const config = new pulumi.Config();
const appVersion = config.get("appVersion") ?? "v1";

const service = new anyscale.Service("rehearsal", {
  name: config.get("serviceName") ?? "rollout-rehearsal",
  versionName: appVersion,
  imageUri: "anyscale/ray:2.48.0-py311",
  // Each version's code is its own directory here; in a real repository it is one directory at two commits.
  workingDir: `app-${appVersion}`,
  applications: [{ name: "scorer", import_path: "main:app", route_prefix: "/" }],
  rollout: {
    steps: [{ percent: 25, pause: config.get("stepPause") ?? "2s" }, { percent: 100 }],
    healthCheck: { path: "/score", requests: config.getNumber("probeRequests") ?? 20, minSuccessRate: 0.95 },
    progressDeadline: "10m",
  },
});

export const queryUrl = service.queryUrl;
export const queryAuthToken = service.queryAuthToken;
export const primaryVersion = service.primaryVersion;
export const canaryVersion = service.canaryVersion;
export const rolloutStatus = service.rolloutStatus;
