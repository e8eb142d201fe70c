import type { RouteHandler, RouteOptions, Router } from "./types";

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
  auth: boolean;
  rawBody: boolean;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
  auth: boolean;
  rawBody: boolean;
}

/** Segment-wise matcher: literal segments beat ":param" segments, so "/jobs/create" wins over "/jobs/:id". */
export class SimpleRouter implements Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler, options: RouteOptions = {}): void {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler, auth: options.auth ?? true, rawBody: options.rawBody ?? false });
  }

  /** undefined: no route has this path; "method": the path exists with other methods. */
  match(method: string, path: string): RouteMatch | "method" | undefined {
    const segments = splitPath(path);
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    let pathExists = false;
    for (const route of this.routes) {
      const matched = matchSegments(route.segments, segments);
      if (!matched) continue;
      pathExists = true;
      if (route.method !== method.toUpperCase()) continue;
      if (!best || matched.literals > best.literals) best = { route, ...matched };
    }
    if (best) return { handler: best.route.handler, params: best.params, auth: best.route.auth, rawBody: best.route.rawBody };
    return pathExists ? "method" : undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): { params: Record<string, string>; literals: number } | undefined {
  // A trailing "*" segment matches the rest of the path (captured as params["*"]).
  const wildcard = pattern[pattern.length - 1] === "*";
  if (wildcard ? actual.length < pattern.length - 1 : actual.length !== pattern.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  const fixed = wildcard ? pattern.length - 1 : pattern.length;
  for (let i = 0; i < fixed; i++) {
    const p = pattern[i];
    const a = actual[i];
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p === a) {
      literals += 1;
    } else {
      return undefined;
    }
  }
  if (wildcard) params["*"] = actual.slice(fixed).join("/");
  return { params, literals };
}
