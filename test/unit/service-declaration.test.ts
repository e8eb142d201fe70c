// The Service's declared model: every input is declared (description, change kind, wire path, read-back),
// the lists are derived from it, and the check rules the declaration carries name their field.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { declarationRegistry, declare, declaredFields } from "../../provider/core/declaration";
import * as provider from "../../provider/service/dynamic";
import { OUTPUT_NAMES, SECRET_OUTPUTS, serviceOutputsSchema } from "../../provider/service/output-schema";
import { INPUT_KEYS, NOT_IN_PLACE_FIELDS, REPLACE_FIELDS, SERVICE_FIELDS, VERSION_FIELDS, isVersionField } from "../../provider/service/schema";

const valid = { name: "svc", applications: [{ import_path: "main:app" }] };

describe("the declared Service model", () => {
  test("every input has a description and a read-back (or a note why it has none)", () => {
    for (const declared of SERVICE_FIELDS) {
      expect([declared.path, declared.description.length > 10]).toEqual([declared.path, true]);
      expect([declared.path, !!declared.readBack.read || !!declared.readBack.note || declared.readBack.from === "none"]).toEqual([declared.path, true]);
    }
  });

  test("every field that reaches the platform names where it lands", () => {
    for (const declared of SERVICE_FIELDS.filter((field) => isVersionField(field) || ["replace", "tags", "canary"].includes(field.change))) {
      expect([declared.path, typeof declared.wire]).toEqual([declared.path, "string"]);
    }
    for (const declared of SERVICE_FIELDS.filter((field) => field.change === "refusedInPlace")) expect([declared.path, !!declared.reason]).toEqual([declared.path, true]);
  });

  test("the lists are derived from it", () => {
    expect(REPLACE_FIELDS).toEqual(["name", "cloud", "project"]);
    expect(VERSION_FIELDS).toEqual(expect.arrayContaining(["applications", "imageUri", "queryAuthTokenEnabled", "tracingConfig", "connections", "versionName", "sourceHash", "containerfileHash"]));
    expect(NOT_IN_PLACE_FIELDS).toEqual(expect.arrayContaining(["imageUri", "containerfileHash", "queryAuthTokenEnabled", "tracingConfig", "rayGcsExternalStorageConfig"]));
    expect(NOT_IN_PLACE_FIELDS).not.toContain("applications");
    expect(INPUT_KEYS).toEqual(Object.keys(SERVICE_FIELDS.filter((field) => !field.path.includes(".")).reduce((keys, field) => ({ ...keys, [field.path]: true }), {})));
  });

  test("a field added to a schema without its treatment is refused", () => {
    const registry = declarationRegistry<unknown>();
    const object = z.object({ known: declare(z.string(), registry, "A known field.", { change: "inPlace", wire: "known", readBack: { from: "none" } }), added: z.string() });
    expect(() => declaredFields(object, registry)).toThrow(/added: declared in the schema without its treatment/);
  });

  test("outputs are declared with their types and secrets", () => {
    expect(OUTPUT_NAMES).toEqual(expect.arrayContaining(["serviceId", "primaryVersion", "canaryVersion", "rolloutStatus", "queryAuthToken", "deployment"]));
    expect(SECRET_OUTPUTS).toEqual(["queryAuthToken"]);
    const json = z.toJSONSchema(serviceOutputsSchema, { io: "input" }) as { properties: Record<string, { description?: string }> };
    expect(json.properties.queryUrl.description).toMatch(/query/i);
  });
});

describe("check rules of the declaration", () => {
  const failures = async (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => (await provider.check(olds, news)).failures ?? [];

  test("registryLoginSecret with an image hosted on Anyscale fails at check naming the field", async () => {
    const found = await failures({ ...valid, imageUri: "anyscale/image/my-image:3", registryLoginSecret: "secret" });
    expect(found).toEqual([expect.objectContaining({ property: "registryLoginSecret", reason: expect.stringContaining("not hosted on Anyscale") })]);
    expect(await failures({ ...valid, imageUri: "docker.io/me/img:1", registryLoginSecret: "secret" })).toEqual([]);
  });

  test("under inPlace, a containerfile whose contents changed is refused naming containerfile", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-decl-"));
    const file = path.join(dir, "Containerfile");
    fs.writeFileSync(file, "FROM anyscale/ray:2.59.0-py311\n");
    const first = await provider.check({}, { ...valid, containerfile: file });
    expect(first.failures ?? []).toEqual([]);
    const olds = first.inputs!;
    expect(olds.containerfileHash).toEqual(expect.any(String));
    fs.writeFileSync(file, "FROM anyscale/ray:2.59.0-py311\nRUN pip install numpy\n");
    const found = await failures({ ...valid, containerfile: file, rollout: { strategy: "inPlace" } }, olds);
    expect(found).toEqual([expect.objectContaining({ property: "containerfile", reason: expect.stringContaining("contents changed") })]);
    // Under rollout the same edit is a new version.
    const rollout = await provider.check(olds, { ...valid, containerfile: file });
    expect((await provider.diff("id", olds, rollout.inputs!)).changes).toBe(true);
  });
});
