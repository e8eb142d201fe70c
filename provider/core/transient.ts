// Which failures are worth waiting through: the observer keeps waiters waiting on these and hands them
// every other error at once. Reads only the error classes and an HTTP-like `status`; knows no API.
import { AnyscaleConnectionError, AnyscaleTimeoutError } from "./errors";

/** Errors that repeating the same request later may fix: the observer keeps waiting through them. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof AnyscaleConnectionError || error instanceof AnyscaleTimeoutError) return true;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" && (status === 429 || status === 408 || status >= 500);
}
