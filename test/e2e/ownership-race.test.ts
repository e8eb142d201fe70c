// Never touch what another stack owns, with the real pulumi CLI (docs/ownership.md): two stacks of
// the same names in two backends (two developers, each with a stack `dev`), two stacks of one backend,
// and two `up`s racing on one service name. The loser fails naming the owner, records nothing of it,
// and neither its next `up` nor its `destroy` modifies or terminates the winner's service.
import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { resourcesOf } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";

jest.setTimeout(20 * 60_000);

const program = (serviceName: string) => `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const owner = new pulumi.Config().require("owner");
const service = new anyscale.Service("svc", {
  name: "${serviceName}",
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { OWNER: owner } } }],
});
exports.serviceId = service.id;
`;

describe("ownership across stacks and backends", () => {
  let plane: TestPlane;
  const projects: PulumiProject[] = [];
  const a = () => api(plane);

  const project = async (serviceName: string, owner: string) => {
    const created = await PulumiProject.fromFiles("ownership", { "Pulumi.yaml": "name: ownership\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": program(serviceName) }, {
      stack: "dev",
      config: { "anyscale:host": plane.url, owner },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
    projects.push(created);
    return created;
  };
  const servicesNamed = async (name: string) =>
    ((await a().get(`/api/v2/services-v2/?name=${name}&count=50`)).body.results as any[]).filter((s) => s.name === name && s.current_state !== "TERMINATED");
  const versionsOf = async (id: string) => (await a().get(`/api/v2/services-v2/${id}/versions?count=50`)).body.results as any[];
  const ownersOf = async (id: string) => (await versionsOf(id)).map((version) => JSON.stringify(version.ray_serve_config).match(/"OWNER":"(\w+)"/)?.[1]);
  const svcInState = async (p: PulumiProject) => resourcesOf((await p.exportStack()).deployment).find((r) => r.urn.endsWith("::svc"));

  beforeAll(async () => {
    plane = await startTestPlane({ startupMs: 300, rolloutStepMs: 100 });
  });
  afterAll(() => tearDownStacks(projects, plane));

  test("same project and stack names in two backends: the second is refused, and its destroy touches nothing", async () => {
    const first = await project("own-twin", "first");
    const second = await project("own-twin", "second");
    await first.up();
    const [service] = await servicesNamed("own-twin");
    const refused = await second.up({ allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/already exists .*owned by 'ownership\/dev\/svc'.*adoptExisting/s);
    expect(await svcInState(second)).toBeUndefined();
    await second.destroy();
    expect(await servicesNamed("own-twin")).toMatchObject([{ id: service.id, current_state: "RUNNING" }]);
    expect(await ownersOf(service.id)).toEqual(["first"]);
  });

  test("two stacks of one backend: the second stack is refused", async () => {
    const first = await project("own-sibling", "first");
    await first.up();
    await first.pulumi(["stack", "init", "other"]);
    await first.pulumi(["config", "set", "anyscale:host", plane.url, "--stack", "other"]);
    await first.pulumi(["config", "set", "owner", "other", "--stack", "other"]);
    await first.pulumi(["config", "set", "--secret", "anyscale:token", "--stack", "other"], { stdin: plane.token });
    const refused = await first.pulumi(["up", "--yes", "--skip-preview", "--stack", "other"], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/already exists .*owned by 'ownership\/dev\/svc'/s);
    await first.pulumi(["destroy", "--yes", "--skip-preview", "--stack", "other"]);
    const [service] = await servicesNamed("own-sibling");
    expect(await ownersOf(service.id)).toEqual(["first"]);
  });

  test("two ups racing on one name: one wins, the loser records nothing, and its next up and destroy leave the winner's service alone", async () => {
    const j = await project("own-race", "j");
    const k = await project("own-race", "k");
    const [upJ, upK] = await Promise.all([j.up({ allowFailure: true }), k.up({ allowFailure: true })]);
    expect([upJ.code, upK.code].filter((code) => code === 0)).toHaveLength(1);
    const [winner, loser, loserRun, winnerName] = upJ.code === 0 ? [j, k, upK, "j"] : [k, j, upJ, "k"];
    expect(loserRun.stdout + loserRun.stderr).toMatch(/already exists|appeared .* while this create prepared|another stack created service/);
    expect(await svcInState(loser)).toBeUndefined();
    const [service] = await servicesNamed("own-race");
    expect((await svcInState(winner))?.id).toBe(service.id);

    const again = await loser.up({ allowFailure: true });
    expect(again.code).not.toBe(0);
    await loser.destroy();
    const live = await servicesNamed("own-race");
    expect(live).toMatchObject([{ id: service.id, current_state: "RUNNING" }]);
    // Whatever the loser's apply did in the race was undone; the winner's config serves.
    expect(JSON.stringify(live[0].primary_version.ray_serve_config)).toContain(`"OWNER":"${winnerName}"`);
  });
});
