// One driver per rollout (provider/service/rollout-lease.ts) on the real local plane's tags API: an
// orphan's lease that stops being renewed is taken after it expires, a renewed one is refused, and a
// driver whose lease was taken stops before its next traffic move.
import { AnyscaleClient } from "../../provider/anyscale/client";
import * as provider from "../../provider/service/dynamic";
import { acquireRolloutLease, LEASE_TAG, LeaseLostError, parseLease } from "../../provider/service/rollout-lease";
import { checked, configureFor } from "../helpers/provider-driver";
import { withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();
const timings = { ttlMs: 600, renewMs: 150, settleMs: 30, pollMs: 50 };
let client: AnyscaleClient;
let serviceId: string;

beforeAll(async () => {
  await configureFor(provider, plane(), { pollIntervalMs: 20 });
  client = new AnyscaleClient({ host: plane().url, token: plane().token });
  const created = await provider.create(await checked(provider, { name: "lease-svc", applications: [{ name: "default", import_path: "main:app" }] }));
  serviceId = created.id;
});

const leaseValue = async () => (await client.tags.list("service", serviceId))[LEASE_TAG];

describe("rollout lease", () => {
  it("takes over an orphan's lease once it expires, and releases its own", async () => {
    await client.tags.upsert("service", serviceId, { [LEASE_TAG]: `deadbeef@${Date.now() + 400}` });
    const lease = await acquireRolloutLease(client, serviceId, "lease-svc", timings);
    expect(parseLease(await leaseValue())?.holder).not.toBe("deadbeef");
    await lease.confirm();
    await lease.release();
    expect(await leaseValue()).toBeUndefined();
  });

  it("refuses while another driver keeps renewing; that driver keeps its rollout", async () => {
    const first = await acquireRolloutLease(client, serviceId, "lease-svc", timings);
    try {
      const second = await acquireRolloutLease(client, serviceId, "lease-svc", timings).catch((error) => error);
      expect(second).toBeInstanceOf(LeaseLostError);
      expect(second.message).toMatch(/another `pulumi up` is driving this rollout/);
      await first.confirm();
    } finally {
      await first.release();
    }
  });

  it("a driver whose lease was taken stops at its next confirm", async () => {
    const lease = await acquireRolloutLease(client, serviceId, "lease-svc", timings);
    await client.tags.upsert("service", serviceId, { [LEASE_TAG]: `0123abcd@${Date.now() + 60_000}` });
    await expect(lease.confirm()).rejects.toThrow(/another driver took this rollout over/);
    await lease.release();
    // Not ours: left for its holder.
    expect(parseLease(await leaseValue())?.holder).toBe("0123abcd");
    await client.tags.delete("service", serviceId, [LEASE_TAG]);
  });
});
