import { api, type TestPlane } from "./local-plane";

// Field-by-field comparison of request bodies read back from the local plane's request log: the
// official CLI/SDK's against ours, after normalising what legitimately differs (names, package hashes).

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: any;
  status: number;
  client: string | null;
}

/** A difference we know of: the official client's value, ours, and why it is acceptable. */
export interface KnownDifference {
  official: unknown;
  ours: unknown;
  reason: string;
}

export interface Difference {
  path: string;
  official: unknown;
  ours: unknown;
}

export const OMITTED = "<omitted>";

export async function loggedRequests(plane: TestPlane): Promise<LoggedRequest[]> {
  return (await api(plane).get<LoggedRequest[]>("/_local/requests")).body;
}

/** The requests logged while `action` ran. */
export async function requestsDuring(plane: TestPlane, action: () => Promise<unknown>): Promise<LoggedRequest[]> {
  const start = (await loggedRequests(plane)).length;
  await action();
  return (await loggedRequests(plane)).slice(start);
}

/** Dotted path → leaf value; arrays by index. Empty objects/arrays are leaves so their presence still counts. */
export function flatten(value: unknown, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  const isContainer = value !== null && typeof value === "object";
  if (!isContainer || Object.keys(value as object).length === 0) {
    out[prefix] = value;
    return out;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  return out;
}

/** Replaces what legitimately differs between two submissions of the same config. */
export function normalise(body: unknown, names: string[]): unknown {
  let text = JSON.stringify(body);
  for (const name of names) text = text.split(name).join("<name>");
  text = text.replace(/pkg_[0-9a-f]{32}\.zip/g, "pkg_<md5>.zip");
  return JSON.parse(text);
}

export function differences(official: unknown, ours: unknown): Difference[] {
  const a = flatten(official);
  const b = flatten(ours);
  const paths = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return paths
    .filter((path) => JSON.stringify(a[path]) !== JSON.stringify(b[path]))
    .map((path) => ({ path, official: path in a ? a[path] : OMITTED, ours: path in b ? b[path] : OMITTED }));
}

export function expectOnlyKnownDifferences(found: Difference[], known: Record<string, KnownDifference>): void {
  const unexplained = found.filter((d) => !(d.path in known));
  const vanished = Object.keys(known).filter((path) => !found.some((d) => d.path === path));
  expect({ unexplained, vanished }).toEqual({ unexplained: [], vanished: [] });
  for (const difference of found) {
    const expected = known[difference.path];
    if (expected.ours === OMITTED) expect(difference.ours).toBe(OMITTED);
    else if (typeof expected.ours !== "string" || !expected.ours.startsWith("<")) expect(difference.ours).toEqual(expected.ours);
    if (typeof expected.official !== "string" || !expected.official.startsWith("<")) expect(difference.official).toEqual(expected.official);
  }
}

/** Our job create body without the provider's own bookkeeping tags (the submission key). */
export function withoutOwnTags(body: any): any {
  const tags = Object.fromEntries(Object.entries(body?.tags ?? {}).filter(([key]) => !key.startsWith("pulumi-anyscale/")));
  const copy = { ...body, tags };
  if (Object.keys(tags).length === 0) delete copy.tags;
  return copy;
}
