import { z } from "zod";
import type { LocalApp } from "../types";
import { parseInput } from "../validation";

// Admin hook: the plane reports a service in a state of the test's choosing, e.g. one newer than the
// client (what the SDK shows as UNKNOWN, and what a `states: ["UNKNOWN"]` filter should find). Only the
// answers of the read endpoints change; the service's lifecycle goes on underneath.

const REPORTED_STATES = "service_reported_states";

const ReportedStateSchema = z.object({ state: z.string().regex(/^[A-Z_]+$/, "must be an upper-case state name") });

export function registerReportedStateRoutes(app: LocalApp): void {
  app.router.add("POST", "/_local/services/:name/reported-state", (ctx) => {
    const { state } = parseInput(ReportedStateSchema, ctx.body);
    app.store.put(REPORTED_STATES, ctx.params.name, { state });
    return { status: 200, body: { name: ctx.params.name, state } };
  });
  app.router.add("DELETE", "/_local/services/:name/reported-state", (ctx) => {
    app.store.delete(REPORTED_STATES, ctx.params.name);
    return { status: 204 };
  });
}

/** A service view with its reported state swapped in, when the admin API set one for its name. */
export function withReportedState(app: LocalApp, view: Record<string, unknown>): Record<string, unknown> {
  const override = app.store.get<{ state: string }>(REPORTED_STATES, String(view.name));
  return override ? { ...view, current_state: override.state } : view;
}
