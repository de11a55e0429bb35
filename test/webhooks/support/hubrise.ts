// Signing HubRise callbacks as HubRise does (hex HMAC-SHA256 of the raw body, keyed with the
// client secret), with node:crypto: an implementation independent of the one under test.
import { createHmac } from "node:crypto";

export const CLIENT_SECRET = "hubrise-client-secret-4b7e9d";

export const sign = (body: string | Uint8Array, secret = CLIENT_SECRET) =>
  createHmac("sha256", secret).update(body).digest("hex");

/** A signed callback as HubRise POSTs it. */
export function callbackRequest(
  body: string,
  init: { signature?: string | null; url?: string; headers?: Record<string, string> } = {},
): Request {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...init.headers,
  };
  const signature = init.signature === undefined ? sign(body) : init.signature;
  if (signature !== null) headers["X-HubRise-Hmac-SHA256"] = signature;
  return new Request(init.url ?? "https://app.example/hubrise/callback", {
    method: "POST",
    headers,
    body,
  });
}
