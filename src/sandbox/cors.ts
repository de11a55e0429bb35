// CORS for a sandbox (and the loopback test servers) answering a browser page: the page that runs
// the clients in Chromium is served from another loopback origin, and the clients' credential
// headers (X-Access-Token, Authorization, SO-Ver) make Chromium ask first with a preflight. A
// server calls this only when it was started with `cors: true`, so no other test sees a change.
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Adds the CORS headers to `res` and returns false; a preflight is answered here (204, the method
 * and headers it asks for allowed) and returns true, before the server counts or routes anything.
 */
export function answerCors(
  req: Pick<IncomingMessage, "method" | "headers">,
  res: ServerResponse,
): boolean {
  res.setHeader("Access-Control-Allow-Origin", "*");
  // The paging headers the clients read (X-Cursor-Next, Content-Range, Link) and Retry-After.
  res.setHeader("Access-Control-Expose-Headers", "*");
  const method = req.headers["access-control-request-method"];
  if (req.method !== "OPTIONS" || method === undefined) return false;
  res.writeHead(204, {
    "Access-Control-Allow-Methods": method,
    // Echoed rather than "*": the wildcard never covers Authorization.
    "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "",
    "Access-Control-Max-Age": "600",
  });
  res.end();
  return true;
}
