import { detailedDiff } from "../../provider/hosts/native/detailed-diff";
import { descriptionsFromMarkdown } from "../../provider/hosts/native/docs-descriptions";
import { statusLine } from "../../provider/hosts/native/progress-forwarder";
import { configSourceFrom } from "../../provider/hosts/native/provider-config";
import { RESOURCES } from "../../provider/hosts/native/resources";
import { buildPackageSchema } from "../../provider/hosts/native/schema";
import { identityFromUrn } from "../../provider/hosts/native/urn";
import { restoreTimeouts, withEngineTimeout } from "../../provider/hosts/native/timeouts";
import { TypeCollector } from "../../provider/hosts/native/type-specs";
import { unwrapSecrets, wrapSecrets, SIGNATURE_KEY, SECRET_SIGNATURE } from "../../provider/hosts/native/values";

const secret = (value: unknown) => ({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value });

describe("detailed diff", () => {
  const internal = new Set(["ownershipScope", "sourceHash"]);

  test("kinds follow the old and new inputs; replacing fields get the _REPLACE kind", () => {
    const diff = detailedDiff(
      [
        { path: "imageUri", replace: false },
        { path: "rollout.canaryPercent", replace: false },
        { path: "tags", replace: false },
        { path: "name", replace: true },
      ],
      { imageUri: "a", tags: { x: "1" }, name: "n" },
      { imageUri: "b", rollout: { canaryPercent: 10 }, name: "m" },
      internal,
    );
    expect(diff).toEqual({ imageUri: "UPDATE", "rollout.canaryPercent": "ADD", tags: "DELETE", name: "UPDATE_REPLACE" });
  });

  test("internal inputs never appear; a changed local-files digest shows on workingDir", () => {
    expect(detailedDiff([{ path: "ownershipScope", replace: false }], {}, { ownershipScope: "x" }, internal)).toEqual({});
    expect(detailedDiff([{ path: "sourceHash", replace: false }], { workingDir: "app" }, { workingDir: "app" }, internal)).toEqual({ workingDir: "UPDATE" });
  });
});

describe("wire values", () => {
  test("secrets are unwrapped with their paths and wrapped again per top-level property", () => {
    const { props, secretKeys, secretPaths } = unwrapSecrets({ envVars: { KEY: secret("s3cr3t"), PLAIN: "p" }, name: "n" });
    expect(props).toEqual({ envVars: { KEY: "s3cr3t", PLAIN: "p" }, name: "n" });
    expect([...secretKeys]).toEqual(["envVars"]);
    expect(secretPaths).toEqual(["envVars.KEY"]);
    expect(wrapSecrets({ ...props, queryAuthToken: "t", gone: null }, ["envVars", "queryAuthToken", "gone"])).toEqual({
      envVars: secret({ KEY: "s3cr3t", PLAIN: "p" }),
      name: "n",
      queryAuthToken: secret("t"),
      gone: null,
    });
  });

  test("a key named twice or a value already secret is wrapped once (refresh names queryAuthToken from the state and as a declared output)", () => {
    expect(wrapSecrets({ queryAuthToken: "t" }, ["queryAuthToken", "queryAuthToken"])).toEqual({ queryAuthToken: secret("t") });
    expect(wrapSecrets({ queryAuthToken: secret("t") }, ["queryAuthToken"])).toEqual({ queryAuthToken: secret("t") });
  });
});

describe("engine timeouts", () => {
  test("map onto the timeouts input for the call and never reach the outputs", () => {
    const props = { name: "a", timeouts: { delete: "5m" } };
    expect(withEngineTimeout(props, "create", 4)).toEqual({ name: "a", timeouts: { delete: "5m", create: "4s" } });
    expect(withEngineTimeout(props, "create", 0)).toBe(props);
    expect(restoreTimeouts({ name: "a", timeouts: { create: "4s" } }, props)).toEqual({ name: "a", timeouts: { delete: "5m" } });
    expect(restoreTimeouts({ name: "a", timeouts: { create: "4s" } }, { name: "a" })).toEqual({ name: "a" });
  });
});

describe("identity, config and progress", () => {
  test("the resource's project, stack and name come from its URN", () => {
    expect(identityFromUrn("urn:pulumi:dev::my-infra::anyscale:index:Service::api")).toEqual({ stack: "dev", project: "my-infra", type: "anyscale:index:Service", name: "api" });
    expect(identityFromUrn("urn:pulumi:dev::p::my:comp$anyscale:index:Job::a::b").type).toBe("anyscale:index:Job");
  });

  test("config keys in every engine form answer the shared modules' keys", () => {
    const source = configSourceFrom({ "anyscale:config:host": "http://h", token: "sss_x", zenmlUrl: "http://z" });
    expect(source.get("anyscale:host")).toBe("http://h");
    expect(source.get("anyscale:token")).toBe("sss_x");
    expect(source.get("zenml:url")).toBe("http://z");
    expect(source.get("anyscale:cloud")).toBeUndefined();
  });

  test("status lines carry the time spent", () => {
    expect(statusLine("v2 STARTING", 100_000)).toBe("v2 STARTING 1m40s");
  });
});

describe("package schema from the zod schemas and the docs", () => {
  const schema = buildPackageSchema("0.1.0") as any;

  test("resources, module of the ZenML link, and functions", () => {
    expect(Object.keys(schema.resources).sort()).toEqual([
      "anyscale:index:ComputeConfig",
      "anyscale:index:ContainerImage",
      "anyscale:index:Job",
      "anyscale:index:JobQueue",
      "anyscale:index:Service",
      "anyscale:zenml:Service",
    ]);
    // The name defaults to the resource name, as in the TypeScript classes.
    expect(schema.resources["anyscale:index:ContainerImage"].requiredInputs).toBeUndefined();
    expect(schema.resources["anyscale:index:ComputeConfig"].inputProperties.headNode).toBeDefined();
    expect(Object.keys(schema.functions)).toContain("anyscale:index:getService");
    expect(schema.functions["anyscale:index:listServices"].inputs.properties.tags).toBeDefined();
  });

  test("inputs mirror the zod schema without internal inputs; secrets and descriptions are marked", () => {
    const service = schema.resources["anyscale:index:Service"];
    expect(service.requiredInputs).toEqual(["applications"]);
    for (const internal of ["ownershipScope", "autoNamePrefix", "sourceHash", "containerfileHash"]) expect(service.inputProperties[internal]).toBeUndefined();
    expect(service.inputProperties.imageUri).toMatchObject({ type: "string", description: expect.stringContaining("A change deploys a new version; an in-place strategy refuses it") });
    expect(service.inputProperties.rollout.$ref).toBe("#/types/anyscale:index:ServiceRollout");
    expect(schema.types["anyscale:index:ServiceRollout"].properties.canaryPercent).toEqual({ type: "integer", description: expect.stringContaining("share of traffic") });
    expect(service.properties.queryAuthToken.secret).toBe(true);
    // The Service's declared outputs are typed, nested objects included.
    expect(service.properties.primaryVersion).toMatchObject({ $ref: "#/types/anyscale:index:ServicePrimaryVersion" });
    expect(schema.types["anyscale:index:ServicePrimaryVersion"].properties.weight).toMatchObject({ type: "number" });
    expect(schema.types["anyscale:index:ServiceRolloutStatus"].properties.lastGate).toMatchObject({ $ref: "#/types/anyscale:index:ServiceRolloutStatusLastGate" });
    const anyTyped = Object.entries(service.properties).filter(([field, spec]: [string, any]) => spec.$ref === "pulumi.json#/Any" && !(field in service.inputProperties));
    expect(anyTyped).toEqual([]);
    expect(schema.config.variables.token.secret).toBe(true);
    for (const adapter of RESOURCES) {
      const inputs = schema.resources[adapter.token].inputProperties;
      for (const internal of adapter.internal) expect(inputs[internal]).toBeUndefined();
    }
  });

  test("json schema conversion: unions, open objects, nested closed objects", () => {
    const collector = new TypeCollector("anyscale");
    expect(collector.convert({ anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] }, "X")).toEqual({ oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] });
    expect(collector.convert({ type: "object", additionalProperties: { type: "string" } }, "X")).toEqual({ type: "object", additionalProperties: { type: "string" } });
    expect(collector.convert({}, "X")).toEqual({ $ref: "pulumi.json#/Any" });
    expect(collector.convert({ type: "object", properties: { a: { type: "boolean" } }, required: ["a"], additionalProperties: false }, "Thing")).toEqual({ $ref: "#/types/anyscale:index:Thing" });
    expect(collector.types["anyscale:index:Thing"]).toEqual({ type: "object", properties: { a: { type: "boolean" } }, required: ["a"] });
  });

  test("docs tables become descriptions", () => {
    const markdown = "| input | change |\n| --- | --- |\n| `name` (default: generated) | **replace** |\n";
    expect(descriptionsFromMarkdown(markdown).get("name")).toBe("default: generated. change: replace");
  });
});

describe("progress forwarding", () => {
  test("each progress line of an operation becomes ephemeral status for its URN, with the time spent, redacted", async () => {
    const { withEngineProgress } = await import("../../provider/hosts/native/progress-forwarder");
    const { reportProgress } = await import("../../provider/core/progress");
    const { registerSecret } = await import("../../provider/core/redact");
    registerSecret("sss_progress_secret_123456");
    const sent: { message: string; urn?: string; ephemeral?: boolean }[] = [];
    const engine = { log: async (_severity: string, message: string, urn?: string, ephemeral?: boolean) => void sent.push({ message, urn, ephemeral }) };
    let now = 0;
    const result = await withEngineProgress(
      engine,
      "urn:a",
      async () => {
        now = 100_000;
        reportProgress("v2 STARTING");
        now = 130_000;
        reportProgress("token sss_progress_secret_123456 seen");
        return 7;
      },
      { clock: { now: () => now } },
    );
    expect(result).toBe(7);
    expect(sent).toEqual([
      { message: "v2 STARTING 1m40s", urn: "urn:a", ephemeral: true },
      { message: expect.not.stringContaining("sss_progress_secret_123456"), urn: "urn:a", ephemeral: true },
      // Success clears the status, so a finished row does not keep saying "STARTING".
      { message: "", urn: "urn:a", ephemeral: true },
    ]);
    // Outside the operation nothing is forwarded.
    reportProgress("after");
    expect(sent).toHaveLength(3);
  });

  test("a failed operation keeps its last status line: it says where things were left", async () => {
    const { withEngineProgress } = await import("../../provider/hosts/native/progress-forwarder");
    const { reportProgress } = await import("../../provider/core/progress");
    const sent: string[] = [];
    const engine = { log: async (_severity: string, message: string) => void sent.push(message) };
    await expect(
      withEngineProgress(engine, "urn:b", async () => {
        reportProgress("v2 STARTING");
        throw new Error("timed out");
      }, { clock: { now: () => 0 } }),
    ).rejects.toThrow("timed out");
    expect(sent).toEqual(["v2 STARTING 0ms"]);
  });
});
