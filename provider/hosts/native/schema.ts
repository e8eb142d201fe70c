// The package schema (GetSchema) generated from the single source of truth: the zod input schemas
// (z.toJSONSchema), and, where a resource declares its model, its output schema and descriptions
// (else the docs' input tables for descriptions). Nothing here lists fields by hand.
import { z } from "zod";
import { ANY, capitalize, TypeCollector, type JsonSchema, type PropertySpec } from "./type-specs";
import { resourceDescriptions } from "./docs-descriptions";
import type { ResourceAdapter } from "./adapter";
import { RESOURCES } from "./resources";
import { INVOKES, type InvokeSpec } from "./invokes";
import { CONFIG_VARIABLES } from "./provider-config";

export const PACKAGE_NAME = "anyscale";

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  return z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    // A Date argument (listJobs' time bounds) crosses the wire as an ISO 8601 string.
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as JsonSchema;
}

function parseToken(token: string): { module: string; name: string } {
  const [, module, name] = token.split(":");
  return { module, name };
}

function resourceSpec(adapter: ResourceAdapter, collector: TypeCollector) {
  const { name } = parseToken(adapter.token);
  const docs = resourceDescriptions(adapter.docsPage);
  const inputs = collector.objectType(jsonSchemaOf(adapter.inputSchema), name, adapter.internal, (field) => adapter.describeInput?.(field) ?? docs.get(field));
  // Declared outputs are typed (nested objects and lists); the others stay Any until their resource declares them.
  const declaredOutputs = adapter.outputSchema ? collector.objectType(jsonSchemaOf(adapter.outputSchema, "output"), name).properties : {};
  if (inputs.required && adapter.defaultedInputs) {
    inputs.required = inputs.required.filter((field) => !adapter.defaultedInputs!.includes(field));
    if (inputs.required.length === 0) delete inputs.required;
  }
  const properties: Record<string, PropertySpec> = { ...inputs.properties };
  for (const output of adapter.computedOutputs) {
    if (adapter.internal.has(output)) continue;
    properties[output] = properties[output] ?? declaredOutputs[output] ?? { ...ANY, ...(docs.get(output) ? { description: docs.get(output) } : {}) };
  }
  for (const secret of adapter.secretOutputs) properties[secret] = { ...properties[secret], secret: true };
  return {
    description: `See docs/resources/${adapter.docsPage} in the pulumi-anyscale package.`,
    inputProperties: inputs.properties,
    ...(inputs.required ? { requiredInputs: inputs.required } : {}),
    properties,
  };
}

function functionSpec(spec: InvokeSpec, collector: TypeCollector) {
  const { name } = parseToken(spec.token);
  const inputs = collector.objectType(jsonSchemaOf(spec.args), `${capitalize(name)}Args`);
  // The declared result: typed outputs, nested objects as named types (`<Function>Result...`).
  const outputs = collector.objectType(jsonSchemaOf(spec.result, "output"), `${capitalize(name)}Result`);
  return { description: spec.description, inputs, outputs };
}

export function buildPackageSchema(version: string): Record<string, unknown> {
  const collectors = new Map<string, TypeCollector>();
  const collectorFor = (module: string) => {
    let collector = collectors.get(module);
    if (!collector) collectors.set(module, (collector = new TypeCollector(PACKAGE_NAME, module)));
    return collector;
  };
  const resources = Object.fromEntries(RESOURCES.map((adapter) => [adapter.token, resourceSpec(adapter, collectorFor(parseToken(adapter.token).module))]));
  const functions = Object.fromEntries(INVOKES.map((spec) => [spec.token, functionSpec(spec, collectorFor(parseToken(spec.token).module))]));
  const types = Object.assign({}, ...[...collectors.values()].map((collector) => collector.types));
  const configVariables = Object.fromEntries(
    CONFIG_VARIABLES.map((variable) => [variable.name, { type: "string", description: variable.description, ...(variable.secret ? { secret: true } : {}) }]),
  );
  return {
    ...packageMetadata(version),
    config: { variables: configVariables },
    provider: { description: "The anyscale provider: control-plane URL, token and defaults.", inputProperties: configVariables },
    resources,
    functions,
    types,
    language: languageMetadata(),
  };
}

// ---- package-level metadata (what the Registry and the SDK generators read) ----

export const REPOSITORY = "https://github.com/pulumi-anyscale/pulumi-anyscale";

function packageMetadata(version: string) {
  return {
    name: PACKAGE_NAME,
    displayName: "Anyscale",
    version,
    description: "Anyscale Services, Jobs and Job Queues, with ZenML service registration.",
    keywords: ["pulumi", "anyscale", "ray", "ray-serve", "zenml", "category/cloud", "kind/native"],
    homepage: REPOSITORY,
    repository: REPOSITORY,
    license: "Apache-2.0",
    publisher: "pulumi-anyscale",
    // The engine fetches pulumi-resource-anyscale-v<version>-<os>-<arch>.tar.gz from the GitHub release
    // tagged v<version> (.github/workflows/release.yml publishes them).
    pluginDownloadURL: "github://api.github.com/pulumi-anyscale/pulumi-anyscale",
  };
}

function languageMetadata() {
  return {
    nodejs: { packageName: "pulumi-anyscale", packageDescription: "Anyscale Services, Jobs and Job Queues for Pulumi (native provider).", respectSchemaVersion: true },
    python: { packageName: "pulumi_anyscale", requires: { pulumi: ">=3.0.0,<4.0.0" }, pyproject: { enabled: true }, respectSchemaVersion: true },
    go: { importBasePath: "github.com/pulumi-anyscale/pulumi-anyscale/sdk/go/anyscale", generateResourceContainerTypes: true, respectSchemaVersion: true },
    csharp: { rootNamespace: "PulumiAnyscale", respectSchemaVersion: true },
  };
}
