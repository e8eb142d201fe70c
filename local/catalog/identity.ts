import type { LocalApp } from "../types";
import { singleEnvelope } from "../envelopes";
import { catalogOf } from "./lookup";
import { ORGANIZATION } from "./seed";

// Who the token belongs to. (The CLI's telemetry sink, POST /api/v2/cli_usage/, is in ../cli-compat.ts.)

export function registerIdentityRoutes(app: LocalApp): void {
  const { router } = app;
  const { user } = catalogOf(app);
  router.add("GET", "/api/v2/userinfo", () => {
    const u = user();
    return singleEnvelope({
      ...u,
      verified: true,
      organization_permission_level: "owner",
      organization_ids: [ORGANIZATION.id],
      organizations: [ORGANIZATION],
      has_setup_cloud: true,
      ld_hash: "local",
      ld_hash_fields: [],
      pylon_hash: "local",
    });
  });
}
