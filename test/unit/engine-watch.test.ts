// core/engine-watch.ts against a real gRPC server on 127.0.0.1 (no health service, like an engine
// answering Unimplemented): alive while it serves, gone within a few intervals once it stops.
import * as grpc from "@grpc/grpc-js";
import { dynamicHostEngineAddress, watchEngine } from "../../provider/core/engine-watch";

async function engine(): Promise<{ address: string; server: grpc.Server }> {
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  return { address: `127.0.0.1:${port}`, server };
}

describe("watchEngine", () => {
  it("keeps quiet while the engine answers (Unimplemented counts as alive) and reports it gone after it stops", async () => {
    const { address, server } = await engine();
    const reasons: string[] = [];
    const watch = watchEngine(address, { intervalMs: 50, onGone: (reason) => reasons.push(reason) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(reasons).toEqual([]);
      server.forceShutdown();
      for (let round = 0; round < 100 && reasons.length === 0; round++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/engine health check failed/);
    } finally {
      watch.stop();
    }
  });

  it("one failed check is not a verdict", async () => {
    const answers = ["gone?", "alive", "gone?", "alive"];
    const reasons: string[] = [];
    const watch = watchEngine("unused", { intervalMs: 10, onGone: (reason) => reasons.push(reason) }, async () => answers.shift() ?? "alive");
    await new Promise((resolve) => setTimeout(resolve, 150));
    watch.stop();
    expect(reasons).toEqual([]);
  });
});

describe("dynamicHostEngineAddress", () => {
  it("is the first argument of Pulumi's dynamic-provider host only", () => {
    expect(dynamicHostEngineAddress(["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:4000"])).toBe("127.0.0.1:4000");
    expect(dynamicHostEngineAddress(["node", "/x/node_modules/@pulumi/pulumi/cmd/run", "127.0.0.1:4000"])).toBeUndefined();
    expect(dynamicHostEngineAddress(["node", "/x/jest"])).toBeUndefined();
  });
});
