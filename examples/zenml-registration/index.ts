// An Anyscale service and its ZenML registration in one `pulumi up`. A canary rollout driven by
// stack config updates the ZenML record in the same `pulumi up`:
//   1. pulumi up                                            -> v1 serves 100%, ZenML record "active"
//   2. pulumi config set imageUri anyscale/ray:2.49.0-py311
//      pulumi config set canaryPercent 25; pulumi up        -> v2 held at 25%: the record shows both versions
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";
import { zenml } from "pulumi-anyscale";

const config = new pulumi.Config();

const service = new anyscale.Service("sentiment", {
  name: config.get("serviceName") ?? "sentiment-zenml",
  imageUri: config.get("imageUri") ?? "anyscale/ray:2.48.0-py311",
  workingDir: "app",
  applications: [{ name: "sentiment", import_path: "main:app", route_prefix: "/" }],
  rollout: { canaryPercent: config.getNumber("canaryPercent") },
});

// Flavor "anyscale", prediction URL from the query URL, ZenML state from the service state. The
// query auth token is never read, and the ZenML config holds nothing secret.
const registration = zenml.Service.forAnyscale("sentiment-registration", service, {
  modelVersionId: config.get("modelVersionId"),
  labels: { team: "ml" },
  config: { model_name: "sentiment" },
});

// Data function: read the record back from ZenML (runs once the registration exists).
const registered = zenml.getServiceOutput({ id: registration.id });

export const serviceId = service.id;
export const serviceState = service.state;
export const queryUrl = service.queryUrl;
export const primaryVersion = service.primaryVersion;
export const canaryVersion = service.canaryVersion;
export const zenmlServiceId = registration.id;
export const zenmlState = registration.state;
export const zenmlPredictionUrl = registration.predictionUrl;
export const zenmlStatus = registration.status;
export const zenmlLabels = registration.labels;
export const zenmlRecordFlavor = registered.serviceType.flavor;
