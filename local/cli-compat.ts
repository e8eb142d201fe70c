import type { LocalApp } from "./types";

// Endpoints the official `anyscale` CLI (0.26.112) calls that no other part of the plane needs.
// Found by running the CLI against the plane; see docs/wire-protocol.md. (GET
// /ext/v0/cluster_environments/{id}, which `status` commands read, is served with the other image
// routes in ./catalog/images.ts.)

export function registerCliCompatRoutes(app: LocalApp): void {
  // Best-effort usage telemetry after every CLI command (disabled in tests, accepted here so a
  // developer running the CLI by hand against the plane sees no errors in the request log).
  app.router.add("POST", "/api/v2/cli_usage", () => ({ status: 200, body: {} }));
}
