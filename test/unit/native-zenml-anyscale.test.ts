import { anyscaleRegistrationFailures, expandAnyscaleRegistration } from "../../provider/hosts/native/zenml-anyscale";
import { registrationForAnyscale } from "../../provider/zenml/anyscale-registration";
import { UNKNOWN_VALUE } from "../../provider/core/dynamic-support";
import { adapterFor } from "../../provider/hosts/native/resources";
import { buildPackageSchema } from "../../provider/hosts/native/schema";

// anyscale:zenml:Service's `anyscaleService`: zenml.Service.forAnyscale for YAML programs.

const service = { id: "service2_abc", name: "sentiment", state: "RUNNING", queryUrl: "http://127.0.0.1:1/serve/sentiment", primaryVersion: { id: "v1", name: "v1", weight: 100 }, canaryVersion: null };

describe("zenml registration of an anyscale:Service through the plugin", () => {
  test("derives exactly what forAnyscale derives; the program's name, config and labels are its options", () => {
    const news = { anyscaleService: service, labels: { team: "ml" }, config: { model_name: "sentiment" }, modelVersionId: "2d7b1fc4-0624-4801-a1cb-11289a9ce847" };
    const expanded = expandAnyscaleRegistration(news, "registration");
    expect(expanded).toEqual(registrationForAnyscale({ ...service, canaryVersion: undefined }, { labels: { team: "ml" }, config: { model_name: "sentiment" }, modelVersionId: "2d7b1fc4-0624-4801-a1cb-11289a9ce847" }));
    expect(expanded.name).toBe("sentiment");
    expect(expanded).not.toHaveProperty("anyscaleService");
  });

  test("a previewed rollout (state and versions unknown) leaves the fixed part known, so the record updates", () => {
    const expanded = expandAnyscaleRegistration({ anyscaleService: { ...service, state: UNKNOWN_VALUE, primaryVersion: UNKNOWN_VALUE } }, "registration");
    expect(expanded.config).toEqual({ service_name: "sentiment", anyscale_service_id: "service2_abc" });
    expect(expanded.name).toBe("sentiment");
    expect([expanded.status, expanded.labels, expanded.predictionUrl]).toEqual([UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE]);
    const first = expandAnyscaleRegistration({ anyscaleService: { id: UNKNOWN_VALUE, name: "sentiment" } }, "registration");
    expect(first.config).toBe(UNKNOWN_VALUE);
    expect(first.serviceType).toMatchObject({ flavor: "anyscale" });
  });

  test("without anyscaleService the name defaults to the resource name", () => {
    expect(expandAnyscaleRegistration({ serviceType: { type: "t", flavor: "f" } }, "registration").name).toBe("registration");
  });

  test("a derived field given beside anyscaleService, or a bad reference, is named at check", () => {
    expect(anyscaleRegistrationFailures({ anyscaleService: service, predictionUrl: "http://x" }).map((f) => f.property)).toEqual(["predictionUrl"]);
    expect(anyscaleRegistrationFailures({ anyscaleService: { name: "s", id: 3 } }).map((f) => f.property)).toEqual(["anyscaleService.id"]);
    expect(anyscaleRegistrationFailures({ anyscaleService: { name: "s" } }).map((f) => f.property)).toEqual(["anyscaleService.id"]);
    expect(anyscaleRegistrationFailures({ anyscaleService: { id: UNKNOWN_VALUE, name: "s" } })).toEqual([]);
    expect(anyscaleRegistrationFailures({ serviceType: { type: "t", flavor: "f" } })).toEqual([]);
  });

  test("the package schema lists anyscaleService; name and serviceType are optional", () => {
    expect(adapterFor("anyscale:zenml:Service")).toBeDefined();
    const resource = (buildPackageSchema("0.0.0") as any).resources["anyscale:zenml:Service"];
    expect(resource.inputProperties.anyscaleService).toBeDefined();
    expect(resource.requiredInputs ?? []).not.toContain("serviceType");
    expect(resource.requiredInputs ?? []).not.toContain("name");
  });
});
