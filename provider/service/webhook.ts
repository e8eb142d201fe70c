// The confirm webhook: a URL of the user's that must answer 2xx before traffic moves on. It is
// POSTed the gate's measurements (never a token) and asked again until it agrees or time runs out.
import { request } from "undici";
import { statelessRules, waitFor, type PollSchedule, type WaitDecision } from "../core/waiter";

export interface WebhookAnswer {
  status: number | null;
}

/** Pure: 2xx lets traffic move on; anything else (or no answer) asks again. */
export function webhookDecision(answer: WebhookAnswer): WaitDecision<number> {
  if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
    return { kind: "success", result: answer.status, summary: `webhook answered ${answer.status}` };
  }
  return { kind: "retry", progress: answer.status === null ? "webhook did not answer" : `webhook answered ${answer.status}, waiting for a 2xx` };
}

async function callWebhook(url: string, payload: unknown): Promise<WebhookAnswer> {
  try {
    const response = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    return { status: response.statusCode };
  } catch {
    return { status: null };
  }
}

export function confirmWithWebhook(url: string, payload: unknown, timeoutMs: number, schedule: PollSchedule, label: string) {
  return waitFor({
    description: `${label}: the webhook to confirm`,
    observe: () => callWebhook(url, payload),
    rules: statelessRules(webhookDecision),
    timeoutMs,
    schedule,
    describe: (answer) => (answer.status === null ? "no answer" : `HTTP ${answer.status}`),
  });
}
