import {
  ANYSCALE_SERVICE_TYPE,
  adminStateForAnyscale,
  describeVersion,
  registrationForAnyscale,
  zenmlStateForAnyscale,
} from "../../provider/zenml/anyscale-registration";
import { ServiceInputsSchema } from "../../provider/zenml/schema";

describe("Anyscale state → ZenML state", () => {
  test.each([
    ["RUNNING", "active"],
    ["ROLLING_OUT", "active"],
    ["ROLLING_BACK", "active"],
    ["STARTING", "pending_startup"],
    ["UPDATING", "pending_startup"],
    ["UNHEALTHY", "error"],
    ["SYSTEM_FAILURE", "error"],
    ["USER_ERROR_FAILURE", "error"],
    ["TERMINATING", "pending_shutdown"],
    ["TERMINATED", "inactive"],
    ["SOMETHING_NEW", "pending_startup"],
    [undefined, "pending_startup"],
  ])("%s → %s", (anyscale, zenml) => {
    expect(zenmlStateForAnyscale(anyscale)).toBe(zenml);
  });

  test("admin state is inactive only when shutting down", () => {
    expect(adminStateForAnyscale("ROLLING_OUT")).toBe("active");
    expect(adminStateForAnyscale("TERMINATING")).toBe("inactive");
    expect(adminStateForAnyscale("TERMINATED")).toBe("inactive");
  });
});

describe("registrationForAnyscale", () => {
  const observed = {
    id: "service2_abc123",
    name: "sentiment",
    state: "RUNNING",
    queryUrl: "https://sentiment-abc.s.anyscaleuserdata.com",
    primaryVersion: { id: "v1-abcdef", weight: 100 },
  };

  test("derives a valid ZenML record: anyscale flavor, prediction URL from the query URL, state from the service", () => {
    const inputs = registrationForAnyscale(observed, { modelVersionId: "2d7b1fc4-0624-4801-a1cb-11289a9ce847", labels: { team: "ml" } });
    expect(ServiceInputsSchema.safeParse(inputs).success).toBe(true);
    expect(inputs.serviceType).toEqual(ANYSCALE_SERVICE_TYPE);
    expect(inputs.predictionUrl).toBe(observed.queryUrl);
    expect(inputs.status).toMatchObject({ state: "active", anyscale_state: "RUNNING", primary_version: "v1-abcdef" });
    expect(inputs.labels).toMatchObject({ team: "ml", "anyscale.primary_version": "v1-abcdef", "anyscale.service_id": observed.id });
    expect(inputs.endpoint).toMatchObject({ status: { protocol: "https", hostname: "sentiment-abc.s.anyscaleuserdata.com", port: 443 } });
    expect(inputs.modelVersionId).toBe("2d7b1fc4-0624-4801-a1cb-11289a9ce847");
  });

  test("a rollout changes only updatable fields, never config", () => {
    const before = registrationForAnyscale(observed);
    const during = registrationForAnyscale({ ...observed, state: "ROLLING_OUT", primaryVersion: "v2-123456" });
    expect(during.config).toEqual(before.config);
    expect(during.status).toMatchObject({ state: "active", anyscale_state: "ROLLING_OUT", primary_version: "v2-123456" });
  });

  test("a held canary shows in status and labels even while the primary version is unchanged", () => {
    const canary = registrationForAnyscale({ ...observed, primaryVersion: { id: "v1-abcdef", weight: 90 }, canaryVersion: { id: "v2-123456", weight: 10 } });
    expect(canary.status).toMatchObject({ primary_version: "v1-abcdef", primary_version_weight: 90, canary_version: "v2-123456", canary_version_weight: 10 });
    expect(canary.labels).toMatchObject({ "anyscale.canary_version": "v2-123456" });
  });

  test("no query URL yet leaves the URL fields out", () => {
    const inputs = registrationForAnyscale({ ...observed, queryUrl: undefined, state: "STARTING" });
    expect(inputs.predictionUrl).toBeUndefined();
    expect(inputs.endpoint).toBeUndefined();
    expect(inputs.status).toMatchObject({ state: "pending_startup" });
  });

  test("describeVersion accepts ids, names and version objects", () => {
    expect(describeVersion("abc")).toBe("abc");
    expect(describeVersion({ name: "v2" })).toBe("v2");
    expect(describeVersion(null)).toBeUndefined();
  });
});
