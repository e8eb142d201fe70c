import { z } from "zod";
import { newId } from "./ids";
import { LocalApiError, type LocalApp, type Store } from "./types";
import { parseInput } from "./validation";

// Tags for services, jobs and job queues, stored apart from the resources (as the platform's
// /api/v2/tags/resource endpoints suggest). Shared by the service and job sides.

export const TAGGABLE_TYPES = ["service", "job", "job_queue"] as const;
export type TaggableType = (typeof TAGGABLE_TYPES)[number];

const COLLECTION = "resource_tags";
const ORGANIZATION_ID = "org_local";

interface TagValue {
  id: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}
interface TagRecord {
  resourceType: TaggableType;
  resourceId: string;
  tags: Record<string, TagValue>;
}

const recordId = (type: TaggableType, id: string): string => `${type}:${id}`;

export function getTags(store: Store, type: TaggableType, id: string): Record<string, string> {
  const record = store.get<TagRecord>(COLLECTION, recordId(type, id));
  return Object.fromEntries(Object.entries(record?.tags ?? {}).map(([k, v]) => [k, v.value]));
}

/** Upsert: keys not mentioned keep their values. */
export function putTags(store: Store, type: TaggableType, id: string, tags: Record<string, string>): void {
  if (Object.keys(tags).length === 0) return;
  const now = new Date().toISOString();
  const record = store.get<TagRecord>(COLLECTION, recordId(type, id)) ?? { resourceType: type, resourceId: id, tags: {} };
  for (const [key, value] of Object.entries(tags)) {
    const existing = record.tags[key];
    record.tags[key] = existing
      ? { ...existing, value, updatedAt: now }
      : { id: newId("tag"), value, createdAt: now, updatedAt: now };
  }
  store.put(COLLECTION, recordId(type, id), record);
}

/** Returns how many keys were removed. */
export function deleteTags(store: Store, type: TaggableType, id: string, keys: readonly string[]): number {
  const record = store.get<TagRecord>(COLLECTION, recordId(type, id));
  if (!record) return 0;
  let deleted = 0;
  for (const key of keys) {
    if (key in record.tags) {
      delete record.tags[key];
      deleted += 1;
    }
  }
  if (deleted === 0) return 0;
  if (Object.keys(record.tags).length === 0) store.delete(COLLECTION, recordId(type, id));
  else store.put(COLLECTION, recordId(type, id), record);
  return deleted;
}

/** Drops every tag of a deleted resource. */
export function forgetTags(store: Store, type: TaggableType, id: string): void {
  store.delete(COLLECTION, recordId(type, id));
}

/** key -> accepted values. A resource matches when, for every key, its value is one of the accepted ones. */
export type TagFilter = Map<string, Set<string>>;

/** Parses repeated `key:value` query values (tag_filter=team:ml&tag_filter=team:infra&tag_filter=env:prod). */
export function parseTagFilter(values: readonly string[], field = "tag_filter"): TagFilter {
  const filter: TagFilter = new Map();
  for (const raw of values) {
    const colon = raw.indexOf(":");
    if (colon <= 0) throw new LocalApiError(400, `Invalid ${field} '${raw}': expected 'key:value'.`);
    const key = raw.slice(0, colon);
    const value = raw.slice(colon + 1);
    if (!filter.has(key)) filter.set(key, new Set());
    filter.get(key)!.add(value);
  }
  return filter;
}

/** OR within a key, AND across keys; an empty filter matches everything. */
export function matchesTagFilter(tags: Record<string, string>, filter: TagFilter): boolean {
  for (const [key, accepted] of filter) {
    if (!(key in tags) || !accepted.has(tags[key])) return false;
  }
  return true;
}

const tagKey = z.string().min(1).max(256);
const UpsertBody = z.object({
  resource_type: z.enum(TAGGABLE_TYPES),
  resource_id: z.string().min(1),
  tags: z.record(tagKey, z.string().max(1024)),
});
const DeleteBody = z.object({
  resource_type: z.enum(TAGGABLE_TYPES),
  resource_id: z.string().min(1),
  keys: z.array(tagKey),
});
const GetQuery = z.object({ resource_type: z.enum(TAGGABLE_TYPES), resource_id: z.string().min(1) });

type ExistsCheck = (id: string) => boolean;
const existenceChecks = new WeakMap<LocalApp, Map<TaggableType, ExistsCheck>>();

/** Each side registers how to tell whether a resource of its type exists (unknown ids get 404). */
export function registerTaggableResource(app: LocalApp, type: TaggableType, exists: ExistsCheck): void {
  if (!existenceChecks.has(app)) existenceChecks.set(app, new Map());
  existenceChecks.get(app)!.set(type, exists);
}

function requireResource(app: LocalApp, type: TaggableType, id: string): void {
  const exists = existenceChecks.get(app)?.get(type);
  // With no registered check (that side not built yet) tags are accepted for any id.
  if (exists && !exists(id)) throw new LocalApiError(404, `Resource '${id}' of type '${type}' not found.`);
}

export function registerTagRoutes(app: LocalApp): void {
  app.router.add("PUT", "/api/v2/tags/resource", (ctx) => {
    const body = parseInput(UpsertBody, ctx.body);
    requireResource(app, body.resource_type, body.resource_id);
    putTags(app.store, body.resource_type, body.resource_id, body.tags);
    return { status: 200, body: { result: tagsList(app.store, body.resource_type, body.resource_id) } };
  });
  app.router.add("DELETE", "/api/v2/tags/resource", (ctx) => {
    const body = parseInput(DeleteBody, ctx.body);
    requireResource(app, body.resource_type, body.resource_id);
    const deleted = deleteTags(app.store, body.resource_type, body.resource_id, body.keys);
    return { status: 200, body: { result: { deleted } } };
  });
  app.router.add("GET", "/api/v2/tags/resource", (ctx) => {
    const query = parseInput(GetQuery, Object.fromEntries(ctx.query), "query");
    requireResource(app, query.resource_type, query.resource_id);
    return { status: 200, body: { result: tagsList(app.store, query.resource_type, query.resource_id) } };
  });
}

/** The ResourceTagsList wire shape. */
function tagsList(store: Store, type: TaggableType, id: string): { tags: unknown[] } {
  const record = store.get<TagRecord>(COLLECTION, recordId(type, id));
  const tags = Object.entries(record?.tags ?? {}).map(([key, v]) => ({
    id: v.id,
    organization_id: ORGANIZATION_ID,
    resource_type: type,
    resource_id: id,
    key,
    value: v.value,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
  }));
  return { tags };
}
