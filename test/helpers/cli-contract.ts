// The contract tests' shared setup: a local plane, one official-CLI session on it, a scratch directory,
// and (optionally) provider modules configured against the same plane. Call once per file, at top level.
import { api, startTestPlane, type TestPlane } from "./local-plane";
import { describeRun, openCliSession, type CliResult, type CliSession } from "./anyscale-cli";
import { scratchDir } from "./cli-fixtures";
import { configureFor, type ProviderModule } from "./provider-driver";

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  client: string | null;
}

export interface CliContract {
  readonly plane: TestPlane;
  readonly cli: CliSession;
  readonly workDir: string;
  /** Runs `anyscale …` in the scratch directory; any other exit code than `expectedCode` fails with the run's output. */
  anyscale(args: string[], expectedCode?: number): Promise<CliResult>;
  /** The plane's request log, oldest first. */
  requests(): Promise<LoggedRequest[]>;
}

export interface CliContractOptions {
  /** Provider modules to configure against the same plane. */
  configure?: Array<Pick<ProviderModule, "configure">>;
  /** Plane settings beyond the fast test timings (e.g. a build time). */
  plane?: Parameters<typeof startTestPlane>[0];
}

export function useCliContract(options: CliContractOptions = {}): CliContract {
  let plane: TestPlane | undefined;
  let cli: CliSession | undefined;
  let workDir: string | undefined;
  beforeAll(async () => {
    plane = await startTestPlane(options.plane);
    cli = await openCliSession(plane);
    workDir = scratchDir();
    for (const provider of options.configure ?? []) await configureFor(provider, plane, { pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await cli?.close();
    await plane?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useCliContract: ${what} is used before beforeAll ran`);
    return value;
  };
  return {
    get plane() {
      return ready(plane, "plane");
    },
    get cli() {
      return ready(cli, "cli");
    },
    get workDir() {
      return ready(workDir, "workDir");
    },
    async anyscale(args, expectedCode = 0) {
      const result = await ready(cli, "cli").run(args, { cwd: ready(workDir, "workDir") });
      if (result.code !== expectedCode) throw new Error(`expected exit ${expectedCode}\n${describeRun(args, result)}`);
      return result;
    },
    async requests() {
      return (await api(ready(plane, "plane")).get<LoggedRequest[]>("/_local/requests")).body;
    },
  };
}
