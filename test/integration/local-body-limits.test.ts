// The local plane checks routing and auth before it reads a body, and refuses API bodies over the
// gateway limit (local/server.ts), as the platform would: an anonymous 200 MB request is answered
// before its body is sent, and a 50 MB apply never reaches the store (so lists stay small).
import * as http from "node:http";
import { MAX_JSON_BODY_BYTES } from "../../local/server";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(30_000);
const plane = withLocalPlane();

/** Sends only the headers of a request that declares `length` bytes, and resolves with the status the server answers. */
function headersOnly(path: string, length: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, plane().url);
    const req = http.request(url, { method: "PUT", headers: { "content-type": "application/json", "content-length": String(length), ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", (error) => ((error as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(error)));
    req.flushHeaders();
  });
}

describe("local plane request bodies", () => {
  it("answers an unauthenticated request before reading its body", async () => {
    expect(await headersOnly("/api/v2/services-v2/apply", 200 * 1024 * 1024)).toBe(401);
    expect(await headersOnly("/api/v2/no-such-route", 200 * 1024 * 1024)).toBe(404);
  });

  it("refuses an authenticated API body over the limit before reading it, and one that streams past it", async () => {
    const auth = { authorization: `Bearer ${plane().token}` };
    expect(await headersOnly("/api/v2/services-v2/apply", 50 * 1024 * 1024, auth)).toBe(413);
    // Without a declared length (chunked), the limit applies while reading.
    const big = JSON.stringify({ name: "too-big", padding: "x".repeat(MAX_JSON_BODY_BYTES + 10) });
    const answer = await fetch(`${plane().url}/api/v2/services-v2/apply`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode(big)), controller.close()) }),
      duplex: "half",
    } as RequestInit).then((res) => res.status, () => 413);
    expect(answer).toBe(413);
    const listed = await api(plane()).get("/api/v2/services-v2/?name=too-big");
    expect(listed.body.results).toEqual([]);
  });
});
