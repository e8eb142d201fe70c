import type { LocalRuntime } from "./app";
import { FaultSpecSchema } from "./faults";
import { parseInput } from "./validation";

/** The /_local/ admin API: request log and fault injection. Same token as the API; never faulted. */
export function registerAdminRoutes(runtime: LocalRuntime): void {
  const { router, requestLog, faults } = runtime;
  router.add("GET", "/_local/health", () => ({ status: 200, body: { ok: true } }), { auth: false });
  router.add("GET", "/_local/requests", () => ({ status: 200, body: requestLog.read() }));
  router.add("DELETE", "/_local/requests", () => {
    requestLog.clear();
    return { status: 204 };
  });
  router.add("GET", "/_local/faults", () => ({ status: 200, body: faults.status() }));
  router.add("POST", "/_local/faults", (ctx) => {
    faults.configure(parseInput(FaultSpecSchema, ctx.body));
    return { status: 200, body: faults.status() };
  });
  router.add("DELETE", "/_local/faults", () => {
    faults.clear();
    return { status: 204 };
  });
}
