// Pure parts of images: the plane's build lifecycle and log, the provider's build wait rules, the
// ContainerImage and ComputeConfig planners, the service status checklist.
import { buildLogAt, buildStatusAt, buildTimes, containerfileProblem, rayVersionOfContainerfile } from "../../local/catalog/build-lifecycle";
import { serviceChecklist } from "../../local/services/checklist";
import { buildWaitRules, IMAGE_URI_PATTERN } from "../../provider/anyscale/image-build-rules";
import { planComputeConfigChange } from "../../provider/computeconfig/planner";
import { planContainerImageChange } from "../../provider/containerimage/planner";
import { replay } from "../../provider/core/waiter";

describe("plane build lifecycle", () => {
  const times = buildTimes(1000, 400, null);
  it("is pending, then in progress, then final, read off the clock", () => {
    expect([999, 1000, 1099, 1100, 1399, 1400].map((now) => buildStatusAt(times, now))).toEqual(["pending", "pending", "pending", "in_progress", "in_progress", "succeeded"]);
    expect(buildStatusAt(buildTimes(1000, 400, "boom"), 1400)).toBe("failed");
  });
  it("logs steps as they run and the failure reason", () => {
    const file = "# base\nFROM anyscale/ray:2.49.0-py311\nRUN pip install a \\\n  b\nCOPY . /app\n";
    expect(buildLogAt(file, "in_progress")).toBe("Step 1/3 : FROM anyscale/ray:2.49.0-py311\nStep 2/3 : RUN pip install a    b\n");
    expect(buildLogAt(file, "failed", "exit 1")).toContain("ERROR: exit 1\nBuild failed.");
    expect(rayVersionOfContainerfile(file)).toBe("2.49.0");
    expect(containerfileProblem(file)).toBeUndefined();
    expect(containerfileProblem("RUN echo")).toMatch(/FROM/);
    expect(containerfileProblem("ARG V=1\nFROM x:$V\n")).toBeUndefined();
  });
});

describe("build wait rules", () => {
  const seq = (...statuses: string[]) => statuses.map((status) => ({ id: "bld_1", status, error_message: status === "failed" ? "exit 1" : null }));
  it("succeeds on succeeded, fails on failed or canceled, waits otherwise", () => {
    expect(replay(buildWaitRules, seq("pending", "in_progress", "succeeded"))).toMatchObject({ index: 2, decision: { kind: "success" } });
    expect(replay(buildWaitRules, seq("pending", "failed"))).toMatchObject({ index: 1, decision: { kind: "failure", reason: "image build bld_1 failed: exit 1" } });
    expect(replay(buildWaitRules, seq("in_progress", "canceled")).decision.kind).toBe("failure");
    expect(replay(buildWaitRules, seq("pending", "in_progress")).decision).toEqual({ kind: "retry", progress: "image build bld_1 in progress" });
  });
  it("parses image URIs as the SDK does", () => {
    for (const ok of ["docker.io/acme/app:1.2", "anyscale/ray:2.49.0-py311", "localhost:5000/app@sha256:abc", "app"]) expect(IMAGE_URI_PATTERN.test(ok)).toBe(true);
    for (const bad of ["not a uri", "acme/app:tag with space", ""]) expect(IMAGE_URI_PATTERN.test(bad)).toBe(false);
  });
});

describe("planners", () => {
  it("ContainerImage: a name change replaces; content, URI, secret or Ray version make a new version in place", () => {
    const old = { name: "a", containerfile: "C", sourceHash: "1", imageUri: "anyscale/image/a:1" };
    expect(planContainerImageChange(old, { name: "a", containerfile: "C", sourceHash: "1" })).toEqual({ changes: false, replaces: [], newVersion: [] });
    expect(planContainerImageChange(old, { name: "a", containerfile: "C", sourceHash: "2" })).toEqual({ changes: true, replaces: [], newVersion: ["sourceHash"] });
    expect(planContainerImageChange(old, { name: "b", containerfile: "C", sourceHash: "1" })).toMatchObject({ replaces: ["name"] });
  });
  it("ComputeConfig: any config change is a new version (replace); outputs never are, timeouts are an update", () => {
    const olds = { name: "cc", headNode: { instanceType: "m5.large" }, computeConfigId: "cpt_1", version: 1, ref: "cc:1", cloudId: "cld", __provider: "p" };
    expect(planComputeConfigChange(olds, { name: "cc", headNode: { instanceType: "m5.large" }, __provider: "p" })).toEqual({ changes: false, replaces: [] });
    expect(planComputeConfigChange(olds, { name: "cc", headNode: { instanceType: "m5.large" }, timeouts: { create: "5m" }, __provider: "p" })).toEqual({ changes: true, replaces: [] });
    expect(planComputeConfigChange(olds, { name: "cc", headNode: { instanceType: "m5.xlarge" }, __provider: "p" })).toEqual({ changes: true, replaces: ["headNode"] });
  });
});

describe("service status checklist", () => {
  it("has the service's items and one entry per version, in the model's states", () => {
    const checklist = serviceChecklist("ROLLING_OUT", [{ id: "v1", state: "RUNNING" }, { id: "v2", state: "UNKNOWN" }], "t") as any;
    expect(checklist.shared[0]).toMatchObject({ kind: "SERVICE", state: "UPDATING" });
    expect(checklist.per_version.map((v: any) => [v.version_id, v.items[0].state])).toEqual([["v1", "RUNNING"], ["v2", "STARTING"]]);
  });
});
