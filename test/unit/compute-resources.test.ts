// Node resources as the compute config API stores them (the SDK's _convert_resource_dict_to_api_model).
import { resourcesToApi } from "../../provider/anyscale/compute-resources";

describe("resourcesToApi", () => {
  it("maps Ray's resource names onto the typed fields and the rest into custom_resources", () => {
    expect(resourcesToApi({ CPU: 8, GPU: 1, memory: 1024, object_store_memory: 512, accelerator_a100: 1 })).toEqual({
      cpu: 8,
      gpu: 1,
      memory: 1024,
      object_store_memory: 512,
      custom_resources: { accelerator_a100: 1 },
    });
  });

  it("keeps absent resources absent", () => {
    expect(resourcesToApi(undefined)).toBeUndefined();
    expect(resourcesToApi({ CPU: 0 })).toEqual({ cpu: 0 });
  });
});
