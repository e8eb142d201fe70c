// The official anyscale Python SDK (the wire's source of truth) against the local plane's job side.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startPlane, type Plane } from "./local-jobs-harness";

jest.setTimeout(120_000);

const VENV_PYTHON = path.join(os.homedir(), ".cache/pulumi-anyscale/venv-anyscale/bin/python");
const haveSdk = fs.existsSync(VENV_PYTHON);
const maybe = haveSdk ? test : test.skip;

let p: Plane | undefined;
afterAll(async () => {
  await p?.stop();
});

maybe("submit, wait, status, logs, list, tags, queues, terminate, archive and delete through the SDK", async () => {
  p = await startPlane();
  const workingDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-sdk-"));
  fs.writeFileSync(path.join(workingDir, "main.py"), "import os\nprint('hello', os.environ['MSG'])\n");
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      VENV_PYTHON,
      [path.join(__dirname, "local-jobs-sdk-driver.py"), workingDir],
      {
        cwd: workingDir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ANYSCALE_HOST: p!.plane.url, ANYSCALE_CLI_TOKEN: p!.plane.token },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}\n${out}`)) : resolve(out)),
    );
  });
  fs.rmSync(workingDir, { recursive: true, force: true });
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  expect(line).toBeDefined();
  const result = JSON.parse(line!.slice("RESULT ".length));
  expect(result).toEqual({
    status: { state: "SUCCEEDED", runs: ["SUCCEEDED"], env: { MSG: "from-python-sdk" }, entrypoint: "python main.py" },
    logs: "hello from-python-sdk\n",
    list: [expect.stringMatching(/^prodjob_/)],
    list_tags: { suite: "sdk" },
    queue: { count: 1, mode: "LIFO", total: 2, active: 2 },
    queue_update: [2, 7],
    queue_state_after_archive: "SEALED",
    archived_hidden: true,
    deleted: true,
  });
  // Nothing the SDK sent or received leaked the token into the plane's request log.
  const requests = await p.api("GET", "/_local/requests");
  expect(JSON.stringify(requests.body)).not.toContain(p.plane.token);
});
