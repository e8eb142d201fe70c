// Interfaces shared by the parts of the local control plane, so the service side (local/*.ts)
// and the job side (local/jobs/*) can be built independently and wired in local/server.ts.
import type { IncomingHttpHeaders } from "node:http";

export interface RouteContext {
  method: string;
  /** Path without the query string, e.g. /api/v2/services-v2/svc_123 */
  path: string;
  /** Named captures from the route pattern (":id" segments). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when empty); malformed JSON is rejected with 400 before handlers run. */
  body: unknown;
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
}

export interface RouteResult {
  status: number;
  /** Serialized as JSON unless `raw` is set. */
  body?: unknown;
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

export interface RouteOptions {
  /** Default true: requires the API token (cookie cli_token or bearer). */
  auth?: boolean;
  /** Default false: when true the body is handed over as rawBody only (e.g. a presigned upload of zip bytes). */
  rawBody?: boolean;
}

export interface Router {
  /** pattern like "/api/v2/decorated_ha_jobs/:id/terminate"; trailing slashes are matched both ways. */
  add(method: string, pattern: string, handler: RouteHandler, options?: RouteOptions): void;
}

/**
 * Durable state: every put/delete reaches the journal file before it returns (so a kill -9 loses
 * nothing), and `durable()` resolves once every write so far is fsync'd; the server awaits it before
 * each response, so anything acknowledged to a client survives an OS crash too.
 */
export interface Store {
  get<T>(collection: string, id: string): T | undefined;
  /** Copies of the stored values, only those `where` keeps (it sees the stored value: read it, never change it). */
  list<T>(collection: string, where?: (value: T) => boolean): T[];
  put<T>(collection: string, id: string, value: T): void;
  delete(collection: string, id: string): void;
  durable(): Promise<void>;
}

export interface LocalOptions {
  port: number;
  dataDir: string;
  token: string;
  /** How long a new service version takes to start. */
  startupMs: number;
  /** Delay between canary weight steps. */
  rolloutStepMs: number;
  /** How long a job waits for its "cluster" before its process starts. */
  jobStartupMs: number;
  /** How long an image build from a containerfile takes. */
  buildMs: number;
  /** Seeded jitter on service start, canary step and job cluster start times (local/jitter.ts); none when absent. */
  jitter?: { percent: number; seed?: number };
  quiet: boolean;
}

export interface LocalApp {
  router: Router;
  store: Store;
  options: LocalOptions;
  /** http://127.0.0.1:PORT, known once listening. */
  baseUrl(): string;
  /** Prefixed random id, e.g. newId("prodjob") -> "prodjob_3f9c...". */
  newId(prefix: string): string;
  /** Local filesystem path of an uploaded package, from the file_uri returned by the upload flow; undefined if unknown. */
  resolveFileUri(fileUri: string): string | undefined;
  /** Ids of the seeded defaults and lookups shared by services and jobs. */
  defaults(): { cloudId: string; projectId: string; computeConfigId: string; buildId: string; userId: string };
  /** Registered cleanup, run by stop() (kill job processes, clear timers). */
  onStop(fn: () => void | Promise<void>): void;
  log(message: string): void;
}

/** Thrown by handlers; rendered as {"error": {"detail": message}} with the status. */
/** One field error of a 422, as FastAPI reports it: where (`["body", "config", "timeout_s"]`), what, and its kind. */
export interface FieldError {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

export class LocalApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    /** For 422: the field errors behind the message (else one error naming `message`'s subject). */
    public readonly fieldErrors?: FieldError[],
  ) {
    super(message);
  }
}
