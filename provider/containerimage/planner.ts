// Pure: what a change of a ContainerImage's inputs does. The name is the image's identity (replace);
// a new containerfile content, image URI, registry secret or Ray version builds or registers the
// next version of the same image (update). A change of timeouts alone is an update that builds nothing:
// the engine keeps the old outputs on an unchanged step, and delete reads its timeout there.
import { jsonEqual } from "../core/dynamic-support";

const NEW_VERSION_FIELDS = ["containerfile", "sourceHash", "registryImageUri", "registryLoginSecret", "rayVersion"] as const;

export function planContainerImageChange(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[]; newVersion: string[] } {
  const replaces = olds.name !== news.name ? ["name"] : [];
  const newVersion = NEW_VERSION_FIELDS.filter((field) => !jsonEqual(olds[field], news[field]));
  return { changes: replaces.length + newVersion.length > 0 || !jsonEqual(olds.timeouts, news.timeouts), replaces, newVersion };
}
