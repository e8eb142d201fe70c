// Every response passes a zod model before the provider reads it; a wrong shape names its endpoint.
import type { z } from "zod";
import { UnexpectedResponseError } from "../core/errors";
import { redact } from "../core/redact";

/** Validates a response value, turning zod issues into an UnexpectedResponseError that names the endpoint. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, endpoint: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
  throw new UnexpectedResponseError(endpoint, redact(problems));
}
