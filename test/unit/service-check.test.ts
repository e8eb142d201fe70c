// check runs in preview: validation only, every failure names the field, no API call (no configure needed).
import * as fs from "node:fs";
import * as os from "node:os";
import { forgetDigests } from "../../provider/anyscale/content-manifest";
import * as path from "node:path";
import * as provider from "../../provider/service/dynamic";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const valid = { name: "svc", applications: [{ import_path: "main:app" }] };

async function failuresOf(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const result = await provider.check(olds, news);
  return (result.failures ?? []).map((failure) => failure.property).sort();
}

describe("Service check", () => {
  it("accepts a minimal service", async () => {
    const result = await provider.check({}, { ...valid, __provider: "serialized" });
    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs).toMatchObject(valid);
  });

  it("names each invalid field with a camelCase dotted path", async () => {
    expect(await failuresOf({ ...valid, rollout: { canaryPercent: 101, maxSurgePercent: -1 } })).toEqual(["rollout.canaryPercent", "rollout.maxSurgePercent"]);
    expect(await failuresOf({ ...valid, applications: [] })).toEqual(["applications"]);
    expect(await failuresOf({ ...valid, applications: [{ name: "x" }] })).toEqual(["applications[0].import_path"]);
    expect(await failuresOf({ ...valid, imageUri: "a:1", containerfile: "Dockerfile" })).toContain("containerfile");
    expect(await failuresOf({ ...valid, registryLoginSecret: "s" })).toEqual(["registryLoginSecret"]);
    expect(await failuresOf({ ...valid, imageUri: "repo/img:1", rayVersion: "2.59" })).toEqual(["rayVersion"]);
    expect(await failuresOf({ ...valid, rayVersion: "2.59.0" })).toEqual(["rayVersion"]);
    expect(await failuresOf({ ...valid, computeConfig: "bad name:0" })).toEqual(["computeConfig"]);
    expect(await failuresOf({ ...valid, computeConfig: { head_node: { instance_type: 4 } } })).toEqual(["computeConfig.head_node.instance_type"]);
    expect(await failuresOf({ ...valid, computeConfig: { worker_nodes: [{ instance_type: "m5.xlarge", market_type: "CHEAP" }] } })).toEqual(["computeConfig.worker_nodes[0].market_type"]);
    expect(await failuresOf({ ...valid, computeConfig: 3 })).toEqual(["computeConfig"]);
    expect(await failuresOf({ ...valid, tracingConfig: { enabled: true, samplingRatio: 2 } })).toEqual(["tracingConfig.samplingRatio"]);
    expect(await failuresOf({ ...valid, name: "has space" })).toEqual(["name"]);
    expect(await failuresOf({ ...valid, rollout: { strategy: "inPlace", canaryPercent: 5 } })).toEqual(["rollout.canaryPercent"]);
    expect(await failuresOf({ ...valid, connections: [{ type: "databricks", name: "a" }, { type: "DATABRICKS", name: "b" }] })).toEqual(["connections[1].type"]);
    expect(await failuresOf({ ...valid, timeouts: { create: "soon" } })).toEqual(["timeouts.create"]);
    expect(await failuresOf({ ...valid, bogus: 1 })).toEqual(["(inputs)"]);
  });

  it("refuses an image URI the official SDK would refuse, as WorkloadConfig does", async () => {
    expect(await failuresOf({ ...valid, imageUri: "bad-uri-%%%" })).toEqual(["imageUri"]);
    expect(await failuresOf({ ...valid, imageUri: "registry.example.com:5000/team/model:1.2@sha256:abc" })).toEqual([]);
    expect(await failuresOf({ ...valid, imageUri: "anyscale/ray:2.49.0-py311" })).toEqual([]);
  });

  it("reports missing local paths on their field", async () => {
    expect(await failuresOf({ ...valid, workingDir: "/definitely/not/here" })).toEqual(["workingDir"]);
    expect(await failuresOf({ ...valid, requirements: "/nope/requirements.txt" })).toEqual(["requirements"]);
    const containerfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cf-")), "Dockerfile");
    fs.writeFileSync(containerfile, "FROM anyscale/ray:2.59.0\n");
    const result = await provider.check({}, { ...valid, containerfile });
    expect(result.failures ?? []).toEqual([]);
    expect(await failuresOf({ ...valid, containerfile: "/nope/Containerfile" })).toEqual(["containerfile"]);
    expect(await failuresOf({ ...valid, pyModules: ["s3://bucket/mod.zip"] })).toEqual([]);
  });

  it("rejects an in-place change of a cluster-level field against the old inputs", async () => {
    const olds = { ...valid, imageUri: "anyscale/ray:2.59.0", rollout: { strategy: "inPlace" } };
    expect(await failuresOf({ ...olds, imageUri: "anyscale/ray:2.60.0" }, olds)).toEqual(["imageUri"]);
    expect(await failuresOf({ ...olds, applications: [{ import_path: "main:v2" }] }, olds)).toEqual([]);
  });

  it("tolerates unknowns during preview", async () => {
    expect(await failuresOf({ ...valid, imageUri: UNKNOWN, rollout: { canaryPercent: UNKNOWN } })).toEqual([]);
    expect(await failuresOf({ ...valid, imageUri: UNKNOWN, rollout: { canaryPercent: 300 } })).toEqual(["rollout.canaryPercent"]);
  });

  it("auto-names once and keeps the name across updates", async () => {
    const first = await provider.check({}, { autoNamePrefix: "my-svc", applications: valid.applications });
    expect(first.inputs.name).toMatch(/^my-svc-[0-9a-f]{7}$/);
    const again = await provider.check(first.inputs, { autoNamePrefix: "my-svc", applications: valid.applications });
    expect(again.inputs.name).toBe(first.inputs.name);
    expect(await failuresOf({ applications: valid.applications })).toEqual(["name"]);
  });

  it("fingerprints local sources so code edits show as changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-src-"));
    fs.writeFileSync(path.join(dir, "main.py"), "app = 1\n");
    const one = await provider.check({}, { ...valid, workingDir: dir });
    fs.writeFileSync(path.join(dir, "main.py"), "app = 2\n");
    forgetDigests(); // a check in the same process within REUSE_WINDOW_MS reuses the digest
    const two = await provider.check({}, { ...valid, workingDir: dir });
    expect(one.inputs.sourceHash).toMatch(/^[0-9a-f]{32}$/);
    expect(two.inputs.sourceHash).not.toBe(one.inputs.sourceHash);
    const diff = await provider.diff("id", { ...one.inputs, deployment: { status: "succeeded" } }, two.inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });
});
