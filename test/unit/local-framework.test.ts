import { FaultInjector, FaultSpecSchema } from "../../local/faults";
import { redactValue } from "../../local/redact";
import { SimpleRouter } from "../../local/router";
import { matchesTagFilter, parseTagFilter } from "../../local/tags";
import { LocalApiError } from "../../local/types";

describe("router", () => {
  const router = new SimpleRouter();
  const h = (name: string) => () => ({ status: 200, body: name });
  router.add("GET", "/api/v2/jobs/:id", h("get"));
  router.add("POST", "/api/v2/jobs/create", h("create"));
  router.add("GET", "/api/v2/jobs/create", h("literal"));
  router.add("PUT", "/files/*", h("files"), { auth: false, rawBody: true });

  test("literal segments beat params; params are decoded; trailing slash matches", () => {
    const literal = router.match("GET", "/api/v2/jobs/create/");
    expect(literal !== "method" && literal && literal.handler({} as never)).toEqual({ status: 200, body: "literal" });
    const param = router.match("GET", "/api/v2/jobs/a%20b");
    expect(param !== "method" && param?.params).toEqual({ id: "a b" });
  });

  test("wrong method is distinguished from an unknown path", () => {
    expect(router.match("DELETE", "/api/v2/jobs/x")).toBe("method");
    expect(router.match("GET", "/nope")).toBeUndefined();
  });

  test("wildcard captures the rest and carries options", () => {
    const m = router.match("PUT", "/files/a/b/c.zip");
    expect(m !== "method" && m && [m.params["*"], m.auth, m.rawBody]).toEqual(["a/b/c.zip", false, true]);
  });
});

describe("fault injector", () => {
  test("everyNth is deterministic and admin paths are exempt", () => {
    const f = new FaultInjector();
    f.configure(FaultSpecSchema.parse({ kinds: ["500", "reset"], everyNth: 3 }));
    const kinds = Array.from({ length: 9 }, () => f.decide("GET", "/api/v2/x")?.kind ?? "-");
    expect(kinds).toEqual(["-", "-", "500", "-", "-", "reset", "-", "-", "500"]);
    expect(f.decide("GET", "/_local/requests")).toBeUndefined();
  });

  test("a seed reproduces the same pattern; limit caps it; method filter applies", () => {
    const pattern = () => {
      const f = new FaultInjector();
      f.configure(FaultSpecSchema.parse({ kinds: ["503"], rate: 0.3, seed: 7 }));
      return Array.from({ length: 30 }, () => (f.decide("GET", "/x") ? 1 : 0)).join("");
    };
    expect(pattern()).toBe(pattern());
    const limited = new FaultInjector();
    limited.configure(FaultSpecSchema.parse({ kinds: ["429"], limit: 2, method: "POST" }));
    expect(limited.decide("GET", "/x")).toBeUndefined();
    expect([limited.decide("POST", "/x"), limited.decide("POST", "/x"), limited.decide("POST", "/x")].map((d) => d?.kind)).toEqual(["429", "429", undefined]);
  });
});

describe("tag filters", () => {
  test("OR within a key, AND across keys", () => {
    const filter = parseTagFilter(["team:ml", "team:infra", "env:prod", "url:http://x"]);
    expect(matchesTagFilter({ team: "ml", env: "prod", url: "http://x" }, filter)).toBe(true);
    expect(matchesTagFilter({ team: "infra", env: "prod", url: "http://x" }, filter)).toBe(true);
    expect(matchesTagFilter({ team: "ml", env: "dev", url: "http://x" }, filter)).toBe(false);
    expect(matchesTagFilter({}, parseTagFilter([]))).toBe(true);
    expect(() => parseTagFilter([":v"])).toThrow(LocalApiError);
  });
});

describe("redaction", () => {
  test("secret-looking keys and known secrets are masked; paging tokens are not", () => {
    const out = redactValue({ auth_token: "abc", nested: [{ password: "p", note: "has sss_secret_value inside" }], paging_token: "pt", use_bearer_token: true }, ["sss_secret_value"]);
    expect(out).toEqual({ auth_token: "[REDACTED]", nested: [{ password: "[REDACTED]", note: "has [REDACTED] inside" }], paging_token: "pt", use_bearer_token: true });
  });
});

describe("request log redaction of presigned URL signatures", () => {
  test("signature query parameters are masked", () => {
    const { isSecretKey } = jest.requireActual("../../local/redact") as typeof import("../../local/redact");
    expect(isSecretKey("X-Local-Signature")).toBe(true);
    expect(isSecretKey("next_paging_token")).toBe(false);
  });
});
