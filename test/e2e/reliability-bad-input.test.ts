import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { BAD_INPUT_CASES, badInputGroups, badInputProgramFiles, type BadInputCase } from "../fixtures/reliability/bad-inputs";

// The bad-input table (test/fixtures/reliability/bad-inputs.ts): 44 invalid fields across Service,
// Job, JobQueue and zenml.Service. `pulumi preview` rejects every one with a message naming the
// field, and the control plane sees zero requests. The engine stops a preview at the first resource
// whose check fails, so each group of rows is one resource in its own preview; two stacks take
// turns to keep the wall time down.

jest.setTimeout(30 * 60_000);

const LANES = 2;

/** The field as a word of its own: `name` must not be satisfied by `versionName`. */
function namesField(text: string, field: string): boolean {
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z_])${escaped}([^A-Za-z_]|$)`, "m").test(text);
}

describe("reliability: bad input is rejected at preview, naming the field, with no API call", () => {
  let plane: TestPlane;
  const lanes: PulumiProject[] = [];

  beforeAll(async () => {
    plane = await startTestPlane();
    for (let i = 0; i < LANES; i++) {
      lanes.push(
        await PulumiProject.fromFiles(`reliability-bad-input-${i}`, badInputProgramFiles(), {
          config: { "anyscale:host": plane.url },
          secrets: { "anyscale:token": plane.token },
        }),
      );
    }
  });

  afterAll(async () => {
    for (const lane of lanes) lane.remove();
    await plane?.stop();
  });

  async function previewGroup(project: PulumiProject, group: string, cases: BadInputCase[]): Promise<string[]> {
    const preview = await project.preview({ allowFailure: true, env: { BAD_INPUT_GROUP: group } });
    const output = preview.stdout + preview.stderr;
    if (output.includes(plane.token)) return [`${group}: the Anyscale token appears in the preview output`];
    if (preview.code === 0) return [`${group}: preview succeeded; expected failures naming ${cases.map((c) => c.field).join(", ")}`];
    const text = preview.diagnostics.filter((d) => d.urn?.endsWith(`::${group}`)).map((d) => d.message).join("\n");
    return cases.filter((c) => !namesField(text, c.field)).map((c) => `${c.resource} (${c.kind}): expected '${c.field}' in: ${text.trim() || output.slice(-600)}`);
  }

  test(`${BAD_INPUT_CASES.length} invalid fields: each failure names its field, zero requests`, async () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(30);
    await api(plane).del("/_local/requests");
    const pending = [...badInputGroups()];
    const problems: string[] = [];
    await Promise.all(
      lanes.map(async (lane) => {
        for (let next = pending.shift(); next; next = pending.shift()) {
          const [group, { cases }] = next;
          problems.push(...(await previewGroup(lane, group, cases)));
        }
      }),
    );
    expect(problems).toEqual([]);
    const requests = (await api(plane).get("/_local/requests")).body as { method: string; path: string }[];
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});
