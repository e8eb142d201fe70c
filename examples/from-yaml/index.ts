// Adopting an existing Anyscale service YAML: the file stays the source of truth for the service's
// config, Pulumi adds what the YAML format has no place for (rollout policy, lifecycle) on top.
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

const config = new pulumi.Config();

// Overrides combine with the file like the CLI's flags with `-f`: tags and env vars per key (the
// file's `origin` tag stays), excludes appended; anything else replaces the file's value.
const service = anyscale.Service.fromYaml("from-yaml", "service.yaml", {
  rollout: { canaryPercent: config.getNumber("canaryPercent") },
  tags: { managedBy: "pulumi" },
});

export const serviceName = service.name;
export const state = service.state;
export const queryUrl = service.queryUrl;
export const queryAuthToken = service.queryAuthToken;
export const tags = service.tags;
