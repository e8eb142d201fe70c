// classify() and the one look-then-resend routine, driven by replayed sequences of send and look outcomes.
import { AnyscaleConnectionError, AnyscaleTimeoutError, apiErrorFor, ConfigurationError } from "../../provider/core/errors";
import { DEFAULT_RETRY_POLICY } from "../../provider/core/http";
import { classify, LOOK_THEN_RESEND_ATTEMPTS, sendLookingFirst, type LookVerdict } from "../../provider/core/write-once";

const api = (status: number, api: "Anyscale" | "ZenML" = "Anyscale") => apiErrorFor({ api, status, detail: "d", method: "POST", path: "/x" });
const connection = (code: string) => new AnyscaleConnectionError("POST", "/x", code);

describe("classify", () => {
  it.each([
    ["refused connection", connection("ECONNREFUSED"), "not-sent"],
    ["unknown host", connection("ENOTFOUND"), "not-sent"],
    ["DNS retry", connection("EAI_AGAIN"), "not-sent"],
    ["connect timeout", connection("UND_ERR_CONNECT_TIMEOUT"), "not-sent"],
    ["429", api(429), "not-sent"],
    ["reset after sending", connection("ECONNRESET"), "ambiguous"],
    ["socket closed", connection("UND_ERR_SOCKET"), "ambiguous"],
    ["unknown connection code", connection("EWHATEVER"), "ambiguous"],
    ["request timeout", new AnyscaleTimeoutError("POST", "/x", 1000), "ambiguous"],
    ["500", api(500), "ambiguous"],
    ["502", api(502), "ambiguous"],
    ["ZenML 503", api(503, "ZenML"), "ambiguous"],
    ["400", api(400), "rejected"],
    ["409", api(409), "rejected"],
    ["ZenML 422", api(422, "ZenML"), "rejected"],
    ["a local error", new ConfigurationError("bad"), "rejected"],
    ["a plain Error", new Error("x"), "rejected"],
    ["not an error", undefined, "rejected"],
  ])("%s is %s", (_label, error, expected) => {
    expect(classify(error)).toBe(expected);
  });
});

describe("sendLookingFirst", () => {
  type Step = { send: "ok" | Error } | { look: LookVerdict<string> | Error };

  /** Replays a sequence: each send takes the next send outcome, each look the next look outcome. */
  async function replay(sends: Array<"ok" | Error>, looks: Array<LookVerdict<string> | Error>, attempts?: number, deadline?: number) {
    const trace: string[] = [];
    const sleeps: number[] = [];
    let clock = 0;
    const promise = sendLookingFirst<string>({
      what: "submit",
      send: async () => {
        const next = sends.shift();
        trace.push("send");
        if (next === undefined) throw new Error("unexpected send");
        if (next instanceof Error) throw next;
        return "sent";
      },
      look: async () => {
        const next = looks.shift();
        trace.push("look");
        if (next === undefined) throw new Error("unexpected look");
        if (next instanceof Error) throw next;
        return next;
      },
      attempts,
      delayMs: 10,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      now: () => clock,
      deadline,
    });
    return { result: await promise.then((value) => ({ value }), (error: Error) => ({ error })), trace, sleeps };
  }
  const resend: LookVerdict<string> = { action: "resend", reason: "nothing there" };

  it("one send when it succeeds", async () => {
    const { result, trace } = await replay(["ok"], []);
    expect(result).toEqual({ value: "sent" });
    expect(trace).toEqual(["send"]);
  });

  it("a rejection is thrown without looking, and so is a not-sent failure once the outage ride is over", async () => {
    for (const error of [api(400), connection("ECONNREFUSED"), api(429)]) {
      const { result, trace } = await replay([error], [], undefined, 0);
      expect(result).toEqual({ error });
      expect(trace).toEqual(["send"]);
    }
  });

  it("rides out an outage: a write that never left is sent again, without looking", async () => {
    const down = Array.from({ length: 12 }, () => connection("ECONNREFUSED"));
    const { result, trace, sleeps } = await replay([...down, "ok"], []);
    expect(result).toEqual({ value: "sent" });
    expect(trace.filter((step) => step === "look")).toEqual([]);
    // 60 s of outage fit in the ride; the pause never exceeds 5 s.
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(0);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(5000);
  });

  it("after an ambiguous failure it keeps looking through the outage, and resends only when a look proves it absent", async () => {
    const { result, trace } = await replay([api(502), "ok"], [connection("ECONNREFUSED"), api(503), new AnyscaleTimeoutError("GET", "/x", 5), resend]);
    expect(result).toEqual({ value: "sent" });
    expect(trace).toEqual(["send", "look", "look", "look", "look", "send"]);
  });

  it("an outage outlasting the ride (or the operation's deadline) fails with the write's own error", async () => {
    const error = api(502);
    const looks = Array.from({ length: 100 }, () => connection("ECONNREFUSED"));
    const { result } = await replay([error], looks, undefined, 1000);
    expect(result).toEqual({ error });
    expect(error.message).toMatch(/could not be read/);
    const refused = connection("ECONNREFUSED");
    const gone = await replay(Array.from({ length: 100 }, () => refused), [], undefined, 1000);
    expect(gone.result).toEqual({ error: refused });
    expect(refused.message).toMatch(/the server stayed unreachable/);
  });

  it("after an ambiguous failure it adopts what the look found, without resending", async () => {
    const { result, trace } = await replay([api(502)], [{ action: "found", value: "made-by-the-lost-send" }]);
    expect(result).toEqual({ value: "made-by-the-lost-send" });
    expect(trace).toEqual(["send", "look"]);
  });

  it("resends only after a look says the write never arrived, pausing longer each time", async () => {
    const { result, trace, sleeps } = await replay([connection("ECONNRESET"), new AnyscaleTimeoutError("POST", "/x", 5), "ok"], [resend, resend]);
    expect(result).toEqual({ value: "sent" });
    expect(trace).toEqual(["send", "look", "send", "look", "send"]);
    expect(sleeps).toEqual([10, 20]);
  });

  it("gives up with the write's own error when the look cannot tell", async () => {
    const error = api(500);
    const { result, trace } = await replay([error], [{ action: "give-up", reason: "another one appeared" }]);
    expect(result).toEqual({ error });
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/submit sent 1 time\(s\); after the last failure: another one appeared/);
    expect(trace).toEqual(["send", "look"]);
  });

  it("never resends when the look itself fails", async () => {
    const error = api(503);
    const { result, trace } = await replay([error], [new Error("read failed too")]);
    expect(result).toEqual({ error });
    expect(error.message).toMatch(/could not be read \(read failed too\)/);
    expect(trace).toEqual(["send", "look"]);
  });

  it("stops at the one budget, the transport's", async () => {
    expect(LOOK_THEN_RESEND_ATTEMPTS).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
    const failures = Array.from({ length: 10 }, () => api(502));
    const { result, trace } = await replay(failures, Array.from({ length: 10 }, () => resend));
    expect((result as { error: Error }).error.message).toMatch(new RegExp(`sent ${LOOK_THEN_RESEND_ATTEMPTS} time\\(s\\)`));
    expect(trace.filter((step) => step === "send")).toHaveLength(LOOK_THEN_RESEND_ATTEMPTS);
    expect(trace.filter((step) => step === "look")).toHaveLength(LOOK_THEN_RESEND_ATTEMPTS);
  });
});
