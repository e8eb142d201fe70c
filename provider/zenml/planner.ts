// Pure diff planning for zenml.Service: which changes ZenML's update accepts in place, which need a
// new record. Values are normalised first, so server-filled defaults never cause drift.
import type { ServiceInputs } from "./schema";

/** Accepted by PUT /api/v1/services/{id}. */
export const UPDATABLE_FIELDS = [
  "name",
  "serviceSource",
  "adminState",
  "labels",
  "status",
  "endpoint",
  "predictionUrl",
  "healthCheckUrl",
  "modelVersionId",
] as const;

/** Not part of ZenML's ServiceUpdate (config is even silently ignored there): a change means replace. */
export const REPLACE_FIELDS = ["project", "serviceType", "config", "pipelineRunId"] as const;

/** Scalars that ZenML's update cannot clear (it ignores nulls): removing one means replace. */
const UNCLEARABLE_FIELDS = new Set<string>(["serviceSource", "adminState", "predictionUrl", "healthCheckUrl", "modelVersionId"]);

/** Maps whose removal is sent as {} and therefore equals an empty map. */
const MAP_FIELDS = new Set<string>(["labels", "status", "endpoint", "config"]);

export interface ServicePlan {
  changes: boolean;
  replaces: string[];
  updates: string[];
}

type Comparable = Partial<ServiceInputs>;

export function planServiceChange(olds: Comparable, news: Comparable, isUnknown: (value: unknown) => boolean = () => false): ServicePlan {
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const field of REPLACE_FIELDS) {
    if (field === "project" ? projectChanged(olds, news, isUnknown) : differs(field, olds[field], news[field], isUnknown)) replaces.push(field);
  }
  for (const field of UPDATABLE_FIELDS) {
    if (!differs(field, olds[field], news[field], isUnknown)) continue;
    if (UNCLEARABLE_FIELDS.has(field) && olds[field] !== undefined && news[field] === undefined) replaces.push(field);
    else updates.push(field);
  }
  return { changes: replaces.length + updates.length > 0, replaces, updates };
}

/** "default" and the id of the default project are the same project once check has resolved both. */
function projectChanged(olds: Comparable, news: Comparable, isUnknown: (value: unknown) => boolean): boolean {
  if (isUnknown(news.project)) return true;
  if (olds.projectId && news.projectId) return olds.projectId !== news.projectId;
  return (olds.project ?? "") !== (news.project ?? "") && olds.projectId !== news.project;
}

function differs(field: string, oldValue: unknown, newValue: unknown, isUnknown: (value: unknown) => boolean): boolean {
  if (containsUnknown(newValue, isUnknown)) return true;
  return canonical(normalize(field, oldValue)) !== canonical(normalize(field, newValue));
}

function normalize(field: string, value: unknown): unknown {
  if (MAP_FIELDS.has(field) && (value === undefined || value === null)) return {};
  if (field === "serviceType" && value && typeof value === "object") {
    // ZenML fills name/description/logo_url with "" when they are left out.
    return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== "" && inner !== undefined && inner !== null));
  }
  return value ?? undefined;
}

/** Key-order-independent JSON, for deep equality. */
export function canonical(value: unknown): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function containsUnknown(value: unknown, isUnknown: (value: unknown) => boolean): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some((inner) => containsUnknown(inner, isUnknown));
  if (value && typeof value === "object") return Object.values(value).some((inner) => containsUnknown(inner, isUnknown));
  return false;
}
