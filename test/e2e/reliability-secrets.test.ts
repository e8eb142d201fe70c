import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { acquireZenmlServer, ZENML_STARTUP_TIMEOUT_MS, type ZenmlTestServer } from "../helpers/zenml-server";
import { assertNoSecretsInState } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";

// For every resource kind (Service, Job, JobQueue, zenml.Service): the Anyscale token, the query
// auth token and the ZenML API key never appear in `pulumi stack export`, in the engine logs
// (-v=9 with --logflow: every gRPC call and the provider's own logs), in a provider error, or in the
// control plane's request log.

jest.setTimeout(20 * 60_000);

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const service = new anyscale.Service("svc", {
  name: "secrets-svc",
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }],
});
const queue = new anyscale.JobQueue("queue", { name: "secrets-queue", idleTimeoutS: 60 });
const job = new anyscale.Job("job", { name: "secrets-job", entrypoint: "echo ok", waitFor: "submitted", jobQueue: { queue } });
const registration = anyscale.zenml.Service.forAnyscale("registration", service, { config: { model_name: "secrets" } });
if (config.get("broken")) {
  // A deploy the platform refuses: its error travels through the provider to the engine.
  new anyscale.Service("broken", {
    name: "secrets-broken",
    imageUri: "anyscale/ray:2.48.0-py311",
    computeConfig: "no-such-compute-config:7",
    applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }],
  });
}
exports.queryAuthToken = service.queryAuthToken;
exports.jobId = job.id;
exports.zenmlId = registration.id;
`;

describe("reliability: secrets never leak, for every resource", () => {
  let plane: TestPlane;
  let zenmlServer: ZenmlTestServer;
  let project: PulumiProject;
  const engineOutput: string[] = [];

  beforeAll(async () => {
    zenmlServer = acquireZenmlServer();
    plane = await startTestPlane();
    project = await PulumiProject.fromFiles("reliability-secrets", { "Pulumi.yaml": "name: reliability-secrets\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM }, {
      config: { "anyscale:host": plane.url, "zenml:url": zenmlServer.url },
      secrets: { "anyscale:token": plane.token, "zenml:apiKey": zenmlServer.apiKey },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50", ZENML_STORE_URL: undefined, ZENML_STORE_API_KEY: undefined },
    });
  }, ZENML_STARTUP_TIMEOUT_MS);

  afterAll(() => tearDownStacks(project, plane, zenmlServer));

  /**
   * At -v=9 the engine dumps every gRPC payload it (un)marshals, the Node.js SDK's debug log (relayed
   * by the engine) dumps every RegisterResource response, secret values included, and the engine prints
   * the default `pulumi:providers:pulumi-nodejs` provider's inputs (the stack config, which the engine
   * hands to dynamic providers) when planning it: upstream engine behaviour, which no provider can
   * change. Those engine lines are set aside and their levels reported; every other line, including
   * everything the provider itself logs (--logflow), is checked.
   */
  const ENGINE_PROVIDER_CONFIG = /pulumi:providers:pulumi-nodejs::default(?!::)|"msg":"((Un)?[Mm]arshaling property for RPC\[|[^"]*RPC finished: resource:)/;
  const leakingEngineLevels = new Set<number>();
  function withoutEngineProviderConfig(log: string, values: Record<string, string>): string {
    return log
      .split("\n")
      .filter((line) => {
        if (!ENGINE_PROVIDER_CONFIG.test(line)) return true;
        if (Object.values(values).some((value) => line.includes(value))) leakingEngineLevels.add(Number(/"v":(\d+)/.exec(line)?.[1] ?? -1));
        return false;
      })
      .join("\n");
  }

  const verbose = (args: string[]) => [...args, "--stack", project.stack, "-v=9", "--logtostderr", "--logflow"];

  function secrets(queryAuthToken: string): Record<string, string> {
    return { "Anyscale token": plane.token, "query auth token": queryAuthToken, "ZenML API key": zenmlServer.apiKey };
  }

  /** Fails naming what leaked where, quoting the line around it with the secret masked. */
  function assertAbsent(where: string, text: string, values: Record<string, string>): void {
    for (const [what, value] of Object.entries(values)) {
      const at = text.indexOf(value);
      if (at < 0) continue;
      const lineStart = text.lastIndexOf("\n", at) + 1;
      const lineEnd = text.indexOf("\n", at);
      let line = text.slice(Math.max(lineStart, at - 300), lineEnd < 0 ? at + 300 : Math.min(lineEnd, at + 300));
      for (const [other, secret] of Object.entries(values)) line = line.split(secret).join(other === what ? "<LEAKED>" : "<other secret>");
      let lineHead = text.slice(lineStart, Math.min(lineStart + 160, at));
      for (const secret of Object.values(values)) lineHead = lineHead.split(secret).join("<secret>");
      throw new Error(`the ${what} appears in plaintext in ${where}: [line starts: ${lineHead}] … ${line}`);
    }
  }

  test("up, preview and refresh with engine logs at -v=9: nothing in state, logs or request log", async () => {
    for (const args of [["up", "--yes", "--skip-preview"], ["preview", "--diff"], ["refresh", "--yes", "--skip-preview"]]) {
      const run = await project.pulumi(verbose(args));
      engineOutput.push(run.stdout, run.stderr);
    }
    const queryAuthToken = (await project.outputs({ showSecrets: true })).queryAuthToken;
    expect(queryAuthToken).toEqual(expect.any(String));

    const { text } = await project.exportStack();
    assertNoSecretsInState(text, secrets(queryAuthToken));
    assertAbsent("the engine logs (-v=9)", withoutEngineProviderConfig(engineOutput.join("\n"), secrets(queryAuthToken)), secrets(queryAuthToken));
    process.stdout.write(`[reliability] engine log levels printing the provider config with secrets (set aside, upstream): ${[...leakingEngineLevels].sort().join(", ") || "none"}\n`);
    const requestLog = JSON.stringify((await api(plane).get("/_local/requests")).body);
    assertAbsent("the control plane's request log", requestLog, secrets(queryAuthToken));
  });

  test("a provider error carries no secret", async () => {
    const queryAuthToken = (await project.outputs({ showSecrets: true })).queryAuthToken;
    await project.setConfig("broken", "true");
    try {
      const run = await project.pulumi(verbose(["up", "--yes", "--skip-preview"]), { allowFailure: true });
      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(/no-such-compute-config/);
      assertAbsent("the failed up's output (provider error)", run.stdout, secrets(queryAuthToken));
      assertAbsent("the failed up's engine logs (-v=9)", withoutEngineProviderConfig(run.stderr, secrets(queryAuthToken)), secrets(queryAuthToken));
    } finally {
      await project.pulumi(["config", "rm", "broken", "--stack", project.stack]);
    }
    const requestLog = JSON.stringify((await api(plane).get("/_local/requests")).body);
    assertAbsent("the control plane's request log", requestLog, secrets(queryAuthToken));
  });
});
