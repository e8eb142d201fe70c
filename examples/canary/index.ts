// A canary rollout driven by stack config, so each step is a `pulumi config set` + `pulumi up`:
//   1. pulumi up                                            -> v1 serves 100%
//   2. pulumi config set imageUri anyscale/ray:2.49.0-py311
//      pulumi config set canaryPercent 10
//      pulumi preview --diff; pulumi up                     -> v2 rolled out, held at 10%
//   3. pulumi config rm canaryPercent; pulumi up            -> v2 completes, serves 100%
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

const config = new pulumi.Config();

const service = new anyscale.Service("canary", {
  name: config.get("serviceName") ?? "canary-demo",
  imageUri: config.get("imageUri") ?? "anyscale/ray:2.48.0-py311",
  workingDir: "app",
  applications: [{ name: "hello", import_path: "main:app", route_prefix: "/" }],
  rollout: { canaryPercent: config.getNumber("canaryPercent") },
  tags: config.getObject<Record<string, string>>("tags"),
  deletionPolicy: config.get("deletionPolicy") as "terminate" | "archive" | "delete" | undefined,
});

export const serviceId = service.id;
export const serviceName = service.name;
export const state = service.state;
export const queryUrl = service.queryUrl;
export const queryAuthToken = service.queryAuthToken;
export const primaryVersion = service.primaryVersion;
export const canaryVersion = service.canaryVersion;
export const versions = service.versions;
export const tags = service.tags;
