// Adopting an existing Anyscale service YAML: the file stays the source of truth for the service's
// config, Pulumi adds what the YAML format has no place for (rollout policy, lifecycle) on top.
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

const config = new pulumi.Config();

const service = anyscale.Service.fromYaml("from-yaml", "service.yaml", {
  rollout: { canaryPercent: config.getNumber("canaryPercent") },
});

export const serviceName = service.name;
export const state = service.state;
export const queryUrl = service.queryUrl;
export const queryAuthToken = service.queryAuthToken;
export const tags = service.tags;
