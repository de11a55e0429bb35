// The skeleton of every webhook handler: a `(request: Request) => Promise<Response>` that any
// fetch-style server (Workers, Deno.serve, Bun.serve, a service worker) can use as it is, and
// node:http through a two-line adapter. What it answers:
//   - 405 (with `Allow: POST`) to anything but a POST;
//   - the WebhookError's 4xx to a refused delivery (401 signature, 413 too large, 400 malformed);
//   - 500 when a callback throws, so that a vendor that retries (HubRise) sends the event again;
//   - the callback's own Response when it returns one, 200 otherwise.
// Bodies are short fixed texts: never the delivery, an error message or a secret.
import { WebhookError } from "../errors.js";

/** A webhook endpoint: give it the request, send back its response. */
export type WebhookHandler = (request: Request) => Promise<Response>;

export interface WebhookHooks {
  /**
   * Called with the error a delivery ended with: a refused delivery (`WebhookError`, answered
   * with its 4xx) or what a callback threw (answered 500). For logging; its own failure is ignored.
   */
  onError?: (error: unknown, request: Request) => void | Promise<void>;
}

/** A plain-text response with a fixed body. */
export function textResponse(status: number, text: string, headers?: Record<string, string>) {
  return new Response(text, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/**
 * A handler that accepts POSTs only and runs `deliver` for each: what it resolves to is the
 * response when it is a Response, else the delivery is acknowledged with 200.
 */
export function webhookHandler(
  deliver: (request: Request) => Promise<unknown>,
  hooks: WebhookHooks = {},
): WebhookHandler {
  return async (request) => {
    if (request.method !== "POST") {
      return textResponse(405, "method not allowed: webhooks are POSTed", { allow: "POST" });
    }
    let outcome: unknown;
    try {
      outcome = await deliver(request);
    } catch (error) {
      await report(hooks, error, request);
      return error instanceof WebhookError
        ? textResponse(error.status, `webhook refused: ${error.reason}`)
        : textResponse(500, "the webhook callback failed");
    }
    return outcome instanceof Response ? outcome : new Response(null, { status: 200 });
  };
}

async function report(hooks: WebhookHooks, error: unknown, request: Request): Promise<void> {
  try {
    await hooks.onError?.(error, request);
  } catch {
    // A failing logger must not change the answer.
  }
}
