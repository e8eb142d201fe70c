// A ComputeConfig registers versions under a name the whole organisation shares, and versions carry
// no tags to mark an owner. So a create registers only on a name that has no live version, or whose
// live latest version is the one this resource's replacement retires (remembered by diff, in the
// same provider process, when it planned the replacement), or with `adoptExisting`. A second stack
// declaring the same name is refused, naming the version it would have stacked on.
import type { ComputeTemplateVersion } from "../anyscale/compute-templates";
import { AnyscaleError } from "../core/errors";

const predecessors = new Map<string, string>();

/** diff planned a replacement of the resource holding version `id` of `name`: its create may stack on it. */
export function expectPredecessor(name: unknown, id: unknown): void {
  if (typeof name === "string" && typeof id === "string") predecessors.set(name, id);
}

/** Throws unless a create may register a version of `name` whose newest version is `latest`. */
export function refuseForeignName(name: string, latest: ComputeTemplateVersion | undefined, adoptExisting: boolean): void {
  if (adoptExisting) return;
  if (!latest || latest.archived_at || predecessors.get(name) === latest.id) return;
  throw new AnyscaleError(
    `name: compute config '${name}' already exists (version ${latest.version}, id ${latest.id}) and is not this resource's; ` +
      `a new version would stack on another stack's config. Choose another name, or set adoptExisting: true to register versions on it.`,
  );
}
