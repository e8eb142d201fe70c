// A ContainerImage builds versions of an image found by name, shared by the whole organisation, and
// images carry no tags to mark an owner. A create therefore builds only on a name no live image has
// (an archived one was given up by its owner), or with `adoptExisting`: a second stack declaring the
// same name is refused instead of registering a version on, and later archiving, the first's image.
// update and delete act on the image id this resource recorded, which only a guarded create gave it.
import type { AnyscaleClient } from "../anyscale/client";
import { clusterEnvSchema } from "../anyscale/images";
import { AnyscaleError } from "../core/errors";

export async function refuseForeignImage(client: AnyscaleClient, name: string, adoptExisting: boolean): Promise<void> {
  if (adoptExisting) return;
  const page = await client.page(clusterEnvSchema, "POST", "/ext/v0/cluster_environments/search", {
    body: { name: { equals: name }, paging: { count: 1 }, include_anonymous: true },
    idempotent: true,
  });
  const existing = page.items.find((image) => image.name === name && !image.archived_at);
  if (!existing) return;
  throw new AnyscaleError(
    `name: an image named '${name}' already exists (id ${existing.id}) and is not this resource's; building here would add a version to ` +
      `another stack's image and destroying would archive it. Choose another name, or set adoptExisting: true to take it over.`,
  );
}
