// connections: [{type, name}] resolve to the user's connection id the same way for a Service and a Job
// (one resolver, provider/workload/connections.ts), against the real local plane's integrations endpoint.
import { api, withLocalPlane } from "../helpers/local-plane";
import { checked, clearRequestLog, configureFor, requestLog, scope, thrown, type ProviderModule } from "./job-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider: ProviderModule = require("../../provider/service/dynamic");

jest.setTimeout(60_000);

const plane = withLocalPlane();
const CONNECTED = { type: "databricks", name: "local-databricks" };
const CONNECTED_ID = "dbxconn_local_user";

beforeAll(async () => {
  await configureFor(jobProvider, plane(), { pollIntervalMs: 20 });
  await configureFor(serviceProvider, plane(), { pollIntervalMs: 20 });
});

describe("connections on the local plane", () => {
  it("a Job submits with the user's connection id", async () => {
    await clearRequestLog(plane());
    const inputs = await checked(jobProvider, { entrypoint: "echo connected", submissionScope: scope("conn"), waitFor: "submitted", connections: [CONNECTED] });
    const created = await jobProvider.create(inputs);
    expect(created.id).toMatch(/^prodjob_/);
    const submit = (await requestLog(plane())).find((entry) => entry.method === "POST" && entry.path.endsWith("/create") && JSON.stringify(entry.body ?? {}).includes("echo connected"));
    expect(submit?.body).toMatchObject({ config: { connection_ids: [CONNECTED_ID] } });
  });

  it("a Service version carries the user's connection id", async () => {
    const inputs = await checked(serviceProvider, { name: "svc-connections", applications: [{ import_path: "main:app" }], connections: [CONNECTED] });
    const created = await serviceProvider.create(inputs);
    const live = (await api(plane()).get(`/api/v2/services-v2/${created.id}`)).body.result;
    expect(live.primary_version.connection_ids).toEqual([CONNECTED_ID]);
  });

  it.each([
    ["job", () => jobProvider, { entrypoint: "echo x", waitFor: "submitted" }],
    ["service", () => serviceProvider, { name: "svc-unknown-connection", applications: [{ import_path: "main:app" }] }],
  ])("an unknown or unconnected connection fails the %s naming the field", async (_kind, provider, base) => {
    const unknown = await checked(provider(), { ...base, ...(_kind === "job" ? { submissionScope: scope("unknown") } : {}), connections: [{ type: "databricks", name: "nope" }] });
    expect((await thrown(provider().create(unknown))).message).toMatch(/connections\[0\]\.name: no databricks connection named 'nope' exists/);
    const unconnected = await checked(provider(), {
      ...base,
      ...(_kind === "job" ? { submissionScope: scope("unconnected") } : { name: "svc-unconnected" }),
      connections: [{ type: "databricks", name: "local-databricks-unconnected" }],
    });
    expect((await thrown(provider().create(unconnected))).message).toMatch(/connections\[0\]\.name: you are not connected to 'local-databricks-unconnected'/);
  });
});
