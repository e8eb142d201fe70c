import type { LocalApp } from "../types";
import { registerBuildRoutes } from "./builds";
import { registerCloudRoutes } from "./clouds";
import { registerClusterComputeSearchRoute } from "./cluster-computes-search";
import { registerComputeConfigRoutes } from "./compute-configs";
import { registerConnectionRoutes } from "./connections";
import { registerIdentityRoutes } from "./identity";
import { registerImageRoutes } from "./images";
import { registerCatalogReadRoutes } from "./catalog-reads";
import { registerProjectRoutes } from "./projects";

export { seedDefaults } from "./seed";

/** Identity, clouds, projects, compute configs, builds and connections: the lookups services and jobs resolve names with. */
export function registerCatalogRoutes(app: LocalApp): void {
  registerIdentityRoutes(app);
  registerCloudRoutes(app);
  registerProjectRoutes(app);
  registerComputeConfigRoutes(app);
  registerClusterComputeSearchRoute(app);
  registerBuildRoutes(app);
  registerImageRoutes(app);
  registerCatalogReadRoutes(app);
  registerConnectionRoutes(app);
}
