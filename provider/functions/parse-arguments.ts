// One place turns a zod failure into an InvalidArgumentError naming the argument the user wrote.
import type { z } from "zod";
import { InvalidArgumentError } from "../core/errors";

function argumentPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** Validates the arguments of a data function; the first problem becomes the error (the one the user should fix first). */
export function parseArguments<S extends z.ZodType>(functionName: string, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // A misspelt argument is reported under its own name, not as a problem of the whole object.
  const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  const argument = unknownKey !== undefined ? argumentPath([...issue.path, unknownKey]) : argumentPath(issue.path) || "args";
  throw new InvalidArgumentError(functionName, argument, issue.message);
}
