import { InvalidArgumentError } from "../../provider/core/errors";
import { toWireQuery, toServiceRecord } from "../../provider/zenml/data";
import { REGISTRATION_KEY_FIELD } from "../../provider/zenml/wire";

describe("zenml data functions (pure parts)", () => {
  test("filters map to ZenML's query names; hydrate defaults to true", () => {
    expect(toWireQuery({ name: "startswith:sent", modelVersionId: "x", sortBy: "desc:created", logicalOperator: "or" })).toEqual({
      name: "startswith:sent",
      type: undefined,
      flavor: undefined,
      project: undefined,
      model_version_id: "x",
      pipeline_run_id: undefined,
      sort_by: "desc:created",
      logical_operator: "or",
      hydrate: true,
    });
  });

  test("a bad filter names the argument before any request", () => {
    expect(() => toWireQuery({ logicalOperator: "xor" as never })).toThrow(InvalidArgumentError);
    expect(() => toWireQuery({ pageSize: 0 })).toThrow(/zenml.listServices: invalid argument 'pageSize'/);
    expect(() => toWireQuery({ colour: "red" } as never)).toThrow(/zenml.listServices/);
  });

  test("records strip the registration key out of config", () => {
    const record = toServiceRecord({
      id: "fcb4dff9-99bd-43ab-b0e0-19948e2459ab",
      name: "svc",
      body: { project_id: "p", service_type: { type: "model-serving", flavor: "anyscale", name: "", description: "" }, labels: null, state: "active" },
      metadata: { config: { model: "m", [REGISTRATION_KEY_FIELD]: "key-1" }, prediction_url: "http://x/" },
      resources: { model_version: { id: "mv" } },
    });
    expect(record).toMatchObject({ id: "fcb4dff9-99bd-43ab-b0e0-19948e2459ab", config: { model: "m" }, registrationKey: "key-1", modelVersionId: "mv", state: "active" });
    expect(record.serviceType).toEqual({ type: "model-serving", flavor: "anyscale" });
  });
});
