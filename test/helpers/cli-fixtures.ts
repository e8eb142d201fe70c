import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

// Materialises the YAML configs under test/fixtures/cli/ for one test run: unique names and
// absolute working_dir paths, so the official CLI uploads the fixture app directories.

export const CLI_FIXTURES = path.join(__dirname, "..", "fixtures", "cli");
export const SERVICE_APP_DIR = path.join(CLI_FIXTURES, "service-app");
export const JOB_APP_DIR = path.join(CLI_FIXTURES, "job-app");

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

export function scratchDir(prefix = "anyscale-cli-contract-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readFixture(file: string): Record<string, any> {
  return parse(fs.readFileSync(path.join(CLI_FIXTURES, file), "utf8")) as Record<string, any>;
}

/** Writes `config` as YAML into `dir` and returns the file path. */
export function writeConfig(dir: string, file: string, config: Record<string, unknown>): string {
  const target = path.join(dir, file);
  fs.writeFileSync(target, stringify(config));
  return target;
}

export function serviceConfig(name: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  return { ...readFixture("service.yaml"), name, working_dir: SERVICE_APP_DIR, ...overrides };
}

export function jobConfig(fixture: string, name: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  return { ...readFixture(fixture), name, working_dir: JOB_APP_DIR, ...overrides };
}
