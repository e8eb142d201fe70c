import { request } from "undici";
import { PulumiProject, stepsFor } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { assertNoSecretsInState, providerReferenceOf, resourcesOf } from "./state-checks";

// Every example under examples/ (except the canary walk-through, which service-lifecycle.test.ts
// drives step by step) deployed and destroyed with the real `pulumi` CLI against one local plane.

jest.setTimeout(20 * 60_000);

let plane: TestPlane;

beforeAll(async () => {
  plane = await startTestPlane();
});

afterAll(async () => {
  await plane?.stop();
});

async function deployExample(example: string, config: Record<string, string> = {}): Promise<PulumiProject> {
  return PulumiProject.fromExample(example, {
    config: { "anyscale:host": plane.url, ...config },
    secrets: { "anyscale:token": plane.token },
  });
}

function printStateBytes(example: string, deployment: any): void {
  for (const resource of resourcesOf(deployment)) {
    if (!resource.type.startsWith("pulumi-nodejs:")) continue;
    const provider = providerReferenceOf(resource);
    process.stdout.write(
      `[e2e] ${example}: ${resource.type} ${resource.urn.split("::").pop()}: ${Buffer.byteLength(JSON.stringify(resource))} state bytes, provider ${provider.length} bytes\n`,
    );
  }
}

describe("examples/quickstart", () => {
  let project: PulumiProject;
  afterAll(async () => {
    if (project) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
  });

  test("deploys a service with a working query URL and a job that succeeds", async () => {
    project = await deployExample("quickstart", { serviceName: "e2e-quickstart", jobName: "e2e-quickstart-job" });
    const preview = await project.preview();
    expect(stepsFor(preview, "hello").map((s) => s.op)).toEqual(["create"]);
    expect(stepsFor(preview, "hello-job").map((s) => s.op)).toEqual(["create"]);
    await project.up();

    const outputs = await project.outputs({ showSecrets: true });
    expect(outputs.serviceState).toBe("RUNNING");
    expect(outputs.jobState).toBe("SUCCEEDED");
    const answer = await request(outputs.queryUrl, { headers: { authorization: `Bearer ${outputs.queryAuthToken}` } });
    expect(answer.statusCode).toBe(200);
    await answer.body.dump();

    const { text, deployment } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": outputs.queryAuthToken });
    for (const resource of resourcesOf(deployment).filter((r) => r.type.startsWith("pulumi-nodejs:"))) {
      expect(providerReferenceOf(resource)).toContain('require("pulumi-anyscale/');
    }
    printStateBytes("quickstart", deployment);

    await project.destroy();
    const live = (await api(plane).get(`/api/v2/services-v2?name=e2e-quickstart`)).body;
    const states = (live.results ?? []).map((s: { current_state: string }) => s.current_state);
    expect(states.every((s: string) => s === "TERMINATED")).toBe(true);
  });
});

describe("examples/queue-job", () => {
  let project: PulumiProject;
  afterAll(async () => {
    if (project) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
  });

  test("creates a PRIORITY queue and runs jobs on it", async () => {
    project = await deployExample("queue-job", { queueName: "e2e-priority" });
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.queueId).toEqual(expect.any(String));
    expect(outputs.urgentState).toBe("SUCCEEDED");
    const job = (await api(plane).get(`/api/v2/decorated_ha_jobs/${outputs.urgentJobId}`)).body.result;
    expect(job.job_queue_config?.priority ?? job.job_queue_id).toBeDefined();
    const { text, deployment } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token });
    printStateBytes("queue-job", deployment);
    await project.destroy();
  });
});

describe("examples/from-yaml", () => {
  let project: PulumiProject;
  afterAll(async () => {
    if (project) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
  });

  test("deploys the service described by service.yaml", async () => {
    project = await deployExample("from-yaml");
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.serviceName).toBe("from-yaml-demo");
    expect(outputs.state).toBe("RUNNING");
    // The override's tag is added per key; the file's stays.
    expect(outputs.tags).toMatchObject({ origin: "service-yaml", managedBy: "pulumi" });
    await project.destroy();
  });
});

describe("examples/data-functions", () => {
  let project: PulumiProject;
  afterAll(async () => {
    if (project) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
  });

  test("reads services, jobs, logs and tags into stack outputs", async () => {
    project = await deployExample("data-functions", { serviceName: "e2e-catalog", jobName: "e2e-nightly" });
    await project.preview();
    await project.up();
    const outputs = await project.outputs({ showSecrets: true });
    expect(outputs.catalogState).toBe("RUNNING");
    expect(outputs.catalogNeedsToken).toBe(true);
    expect(outputs.prodServices).toEqual(["e2e-catalog (RUNNING)"]);
    expect(outputs.lastNightlyState).toBe("SUCCEEDED");
    expect(outputs.lastNightlyLogTail).toContain("nightly run complete");
    expect(outputs.catalogTags).toEqual({ team: "platform", env: "prod" });
    expect(outputs.referencedServiceState).toBe("RUNNING");
    // The plane is shared with the other examples: the count must equal what the API lists for this user.
    const me = (await api(plane).get("/api/v2/userinfo/")).body.result.id;
    const mine = (await api(plane).get(`/api/v2/services-v2/?creator_id=${me}&count=50`)).body.results;
    expect(outputs.servicesCreatedByMe).toBe(mine.length);
    expect(mine.map((s: { name: string }) => s.name)).toContain("e2e-catalog");
    const { text } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token });
    await project.destroy();
  });
});
