// Tags of services, jobs and job queues (/api/v2/tags/resource).
import { z } from "zod";
import type { AnyscaleClient } from "./client";

export type TaggableResourceType = "service" | "job" | "job_queue";

const tagsSchema = z.looseObject({
  tags: z.array(z.looseObject({ key: z.string(), value: z.string() })).nullish(),
});

const PATH = "/api/v2/tags/resource";

export class TagsApi {
  constructor(private readonly client: AnyscaleClient) {}

  async list(resourceType: TaggableResourceType, resourceId: string): Promise<Record<string, string>> {
    const result = await this.client.result(tagsSchema, "GET", PATH, { query: { resource_type: resourceType, resource_id: resourceId } });
    return Object.fromEntries((result.tags ?? []).map((tag) => [tag.key, tag.value]));
  }

  /** Upsert only: keys not named keep their values. */
  async upsert(resourceType: TaggableResourceType, resourceId: string, tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    await this.client.send("PUT", PATH, { body: { resource_type: resourceType, resource_id: resourceId, tags } });
  }

  async delete(resourceType: TaggableResourceType, resourceId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.client.send("DELETE", PATH, { body: { resource_type: resourceType, resource_id: resourceId, keys } });
  }

  /** Makes the live tags equal `desired`: upserts changed keys, deletes removed ones. */
  async set(resourceType: TaggableResourceType, resourceId: string, desired: Record<string, string>, current?: Record<string, string>): Promise<void> {
    const live = current ?? (await this.list(resourceType, resourceId));
    const changed = Object.fromEntries(Object.entries(desired).filter(([key, value]) => live[key] !== value));
    const removed = Object.keys(live).filter((key) => !(key in desired));
    await this.upsert(resourceType, resourceId, changed);
    await this.delete(resourceType, resourceId, removed);
  }
}
