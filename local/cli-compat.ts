import { COLLECTIONS, ORGANIZATION } from "./catalog/seed";
import { singleEnvelope } from "./envelopes";
import { LocalApiError, type LocalApp } from "./types";

// Endpoints the official `anyscale` CLI (0.26.112) calls that no other part of the plane needs.
// Found by running the CLI against the plane; see docs/wire-protocol.md.

type BuildRow = Record<string, unknown> & { id: string; cluster_environment_id?: string };

export function registerCliCompatRoutes(app: LocalApp): void {
  // `service status`, `service list` and `job status` resolve every build's image URI through
  // its cluster environment: GET /ext/v0/cluster_environments/{id} (a 404 fails the command
  // with "Failed to get image URI for ID ...").
  app.router.add("GET", "/ext/v0/cluster_environments/:id", (ctx) => {
    const build = app.store
      .list<BuildRow>(COLLECTIONS.builds)
      .find((b) => b.cluster_environment_id === ctx.params.id || b.application_template_id === ctx.params.id);
    if (!build) throw new LocalApiError(404, `Cluster environment with id '${ctx.params.id}' not found.`);
    return singleEnvelope({
      id: ctx.params.id,
      name: `image-${String(build.id).slice(-8)}`,
      project_id: null,
      organization_id: ORGANIZATION.id,
      creator_id: build.creator_id,
      created_at: build.created_at,
      last_modified_at: build.last_modified_at,
      deleted_at: null,
      anonymous: true,
      is_default: false,
      cloud_id: build.cloud_id ?? null,
    });
  });

  // Best-effort usage telemetry after every CLI command (disabled in tests, accepted here so a
  // developer running the CLI by hand against the plane sees no errors in the request log).
  app.router.add("POST", "/api/v2/cli_usage", () => ({ status: 200, body: {} }));
}
