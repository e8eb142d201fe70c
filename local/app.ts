import { FaultInjector } from "./faults";
import { newId } from "./ids";
import { RequestLog } from "./request-log";
import { SimpleRouter } from "./router";
import { FileStore } from "./store";
import type { LocalApp, LocalOptions } from "./types";

type Defaults = ReturnType<LocalApp["defaults"]>;

/** Everything the server needs besides the socket: the LocalApp handed to route modules, plus internals. */
export interface LocalRuntime {
  app: LocalApp;
  router: SimpleRouter;
  store: FileStore;
  faults: FaultInjector;
  requestLog: RequestLog;
  setBaseUrl(url: string): void;
  setDefaults(defaults: Defaults): void;
  setFileUriResolver(resolve: (fileUri: string) => string | undefined): void;
  runStopHooks(): Promise<void>;
}

export function createRuntime(options: LocalOptions): LocalRuntime {
  const router = new SimpleRouter();
  const store = new FileStore(options.dataDir);
  const faults = new FaultInjector();
  const requestLog = new RequestLog(options.dataDir, () => [options.token]);
  const stopHooks: Array<() => void | Promise<void>> = [];
  let baseUrl = "";
  let defaults: Defaults | undefined;
  let resolver: (fileUri: string) => string | undefined = () => undefined;

  const app: LocalApp = {
    router,
    store,
    options,
    baseUrl: () => baseUrl,
    newId,
    resolveFileUri: (fileUri) => resolver(fileUri),
    defaults: () => {
      if (!defaults) throw new Error("defaults are not seeded yet");
      return defaults;
    },
    onStop: (fn) => {
      stopHooks.push(fn);
    },
    log: (message) => {
      if (!options.quiet) process.stderr.write(`[anyscale-local] ${message}\n`);
    },
  };

  return {
    app,
    router,
    store,
    faults,
    requestLog,
    setBaseUrl: (url) => {
      baseUrl = url;
    },
    setDefaults: (d) => {
      defaults = d;
    },
    setFileUriResolver: (fn) => {
      resolver = fn;
    },
    runStopHooks: async () => {
      // Last registered first, like unwinding a stack.
      for (const hook of stopHooks.reverse()) {
        try {
          await hook();
        } catch (err) {
          app.log(`stop hook failed: ${(err as Error).message}`);
        }
      }
    },
  };
}
