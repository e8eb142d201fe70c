// The one error hierarchy of the provider. Every message is redacted at construction, so an error
// can be logged, shown by the engine or stored without leaking a token.
import { redact } from "./redact";

export class AnyscaleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options);
    this.name = new.target.name;
  }
}

export type ApiName = "Anyscale" | "ZenML";

export interface ApiErrorContext {
  api: ApiName;
  status: number;
  /** The server's own explanation, extracted from its error envelope (already redacted). */
  detail: string;
  method: string;
  /** Path without query string; never includes credentials. */
  path: string;
  traceId?: string;
}

/** Base for every HTTP error status returned by a server we talk to. */
export class HttpApiError extends AnyscaleError {
  readonly api: ApiName;
  readonly status: number;
  readonly detail: string;
  readonly method: string;
  readonly path: string;
  readonly traceId?: string;

  constructor(context: ApiErrorContext) {
    const trace = context.traceId ? ` (trace id ${context.traceId})` : "";
    super(`${context.api} API ${context.method} ${context.path} failed with ${context.status}: ${context.detail}${trace}`);
    this.api = context.api;
    this.status = context.status;
    this.detail = redact(context.detail);
    this.method = context.method;
    this.path = context.path;
    this.traceId = context.traceId;
  }
}

export class AnyscaleApiError extends HttpApiError {}
export class BadRequestError extends AnyscaleApiError {}
export class AuthenticationError extends AnyscaleApiError {}
export class PermissionDeniedError extends AnyscaleApiError {}
export class NotFoundError extends AnyscaleApiError {}
export class ConflictError extends AnyscaleApiError {}
export class UnprocessableEntityError extends AnyscaleApiError {}
export class RateLimitError extends AnyscaleApiError {}
export class InternalServerError extends AnyscaleApiError {}

export class ZenmlApiError extends HttpApiError {}

const ANYSCALE_STATUS_CLASSES: Record<number, typeof AnyscaleApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export function apiErrorFor(context: ApiErrorContext): HttpApiError {
  if (context.api === "ZenML") return new ZenmlApiError(context);
  const ErrorClass = ANYSCALE_STATUS_CLASSES[context.status] ?? (context.status >= 500 ? InternalServerError : AnyscaleApiError);
  return new ErrorClass(context);
}

/** The request never produced a response: refused, reset, DNS, TLS. */
export class AnyscaleConnectionError extends AnyscaleError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly code: string | undefined,
    cause?: unknown,
  ) {
    super(`Could not reach ${method} ${path}: ${code ?? "connection error"}`, { cause });
  }
}

export class AnyscaleTimeoutError extends AnyscaleError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path} timed out after ${timeoutMs} ms`);
  }
}

/** A 2xx response whose body does not have the shape the endpoint promises. */
export class UnexpectedResponseError extends AnyscaleError {
  constructor(
    readonly endpoint: string,
    readonly problem: string,
  ) {
    super(`Unexpected response from ${endpoint}: ${problem}`);
  }
}

/** Provider configuration is missing or malformed; raised before any request. */
export class ConfigurationError extends AnyscaleError {}

export type WaitOutcome = "failure" | "timeout" | "aborted";

/** A wait ended without success; the message says where things were left. */
export class WaitError extends AnyscaleError {
  constructor(
    readonly outcome: WaitOutcome,
    message: string,
    readonly lastObserved?: unknown,
  ) {
    super(message);
  }
}

/**
 * Thrown from create/update when the object exists on the platform but did not become healthy.
 * The dynamic-provider server turns an error carrying `id` into ErrorResourceInitFailed, so the engine
 * records the object in state instead of orphaning it. The server adds `__provider` only on success,
 * so it is copied here from the inputs, or later operations on the resource could not find their provider.
 */
export class ResourceInitError extends AnyscaleError {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, outputs: Record<string, unknown>, inputs: Record<string, unknown>, message: string) {
    super(message);
    this.id = id;
    this.properties = { ...outputs, __provider: inputs.__provider };
    this.reasons = [redact(message)];
  }
}

// Errors of the data functions. Each names the function, and the argument or the object, so the user
// can fix their program without a stack trace.

/** Bad input, reported before any request is made. */
export class InvalidArgumentError extends AnyscaleError {
  constructor(
    /** The data function, e.g. "anyscale.listServices". */
    readonly functionName: string,
    /** Dotted path of the offending argument, e.g. "tags.team" or "states[1]". */
    readonly argument: string,
    readonly problem: string,
  ) {
    super(`${functionName}: invalid argument '${argument}': ${problem}`);
  }
}

/** The object a get function was asked for does not exist (or is archived and archived ones were not asked for). */
export class ObjectNotFoundError extends AnyscaleError {
  constructor(
    readonly functionName: string,
    readonly description: string,
  ) {
    super(`${functionName}: ${description} was not found`);
  }
}

/** A name matches more than one object; the message says which argument narrows it. */
export class AmbiguousNameError extends AnyscaleError {
  constructor(
    readonly functionName: string,
    message: string,
  ) {
    super(`${functionName}: ${message}`);
  }
}
