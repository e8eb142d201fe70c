// Timeouts travel as resource inputs because the engine never hands customTimeouts to dynamic
// providers; the sdk classes copy opts.customTimeouts into the `timeouts` input.
import { z } from "zod";

export type TimeoutOperation = "create" | "update" | "delete";

export interface Timeouts {
  create?: string;
  update?: string;
  delete?: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const WHOLE_DURATION = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;

/**
 * Parses Go-style durations ("30m", "1h30m", "90s", "1500ms") or a bare number of seconds
 * (the unit Pulumi's own customTimeouts strings and YAML users often use). Returns undefined
 * for anything else, so callers can name the offending field.
 */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text > 0 ? text * 1000 : undefined;
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds > 0 ? seconds * 1000 : undefined;
  }
  if (!WHOLE_DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(DURATION_PART)) total += Number(match[1]) * UNIT_MS[match[2]];
  return total > 0 ? total : undefined;
}

export const durationSchema = z
  .string()
  .refine((value) => parseDurationMs(value) !== undefined, {
    message: 'must be a positive duration such as "30m", "1h30m", "90s" or a number of seconds',
  });

export const timeoutsSchema = z
  .object({ create: durationSchema.optional(), update: durationSchema.optional(), delete: durationSchema.optional() })
  .strict();

/** The timeout for one operation in ms: the user's value when given and valid, else the default. */
export function timeoutMsFor(timeouts: Timeouts | undefined, operation: TimeoutOperation, defaultMs: number): number {
  const given = timeouts?.[operation];
  const parsed = given === undefined ? undefined : parseDurationMs(given);
  return parsed ?? defaultMs;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds || (!hours && !minutes) ? `${seconds}s` : ""].join("");
}
