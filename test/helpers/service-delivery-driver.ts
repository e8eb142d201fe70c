// What the delivery and gate integration tests share: a Service driven through its provider module
// against a local plane (create, update with the progress lines it reported), and reads of the live
// service over the plane's API.
import * as provider from "../../provider/service/dynamic";
import { withProgress } from "../../provider/core/progress";
import { checked as checkedBy } from "./provider-driver";
import { api, type TestPlane } from "./local-plane";

type Props = Record<string, any>;

/** One Serve application whose env var marks the generation, so each change is a new version. */
export const generationApp = (generation: string) => [{ name: "default", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GENERATION: generation } } }];

export function serviceDeliveryDriver(plane: () => TestPlane) {
  const checked = (news: Props, olds: Props = {}): Promise<Props> => checkedBy(provider, news, olds);
  const a = () => api(plane());
  return {
    checked,
    api: a,
    live: async (id: string) => (await a().get(`/api/v2/services-v2/${id}`)).body.result,
    versionCount: async (id: string): Promise<number> => (await a().get(`/api/v2/services-v2/${id}/versions?count=50`)).body.results.length,
    async create(name: string) {
      const inputs = await checked({ name, applications: generationApp("1") });
      const created = await provider.create(inputs);
      return { id: created.id, inputs, outs: created.outs as Props };
    },
    async update(id: string, olds: Props, news: Props) {
      const inputs = await checked(news, olds);
      const lines: string[] = [];
      const result = await withProgress((line) => lines.push(line), () => provider.update(id, olds, inputs));
      return { inputs, outs: result.outs as Props, lines };
    },
  };
}

/** The error a promise is expected to reject with. */
export async function failureOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}
