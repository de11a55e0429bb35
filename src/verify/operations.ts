// Which operation of the description an exchange is. A client's NDJSON recording says it (the
// operationId and path template it called); a HAR only has the URL, matched to a server (see
// servers.ts), then to a path template by the sandboxes' router (literal segments before
// parameters). A path no template matches is "unknown"; its pattern keeps only the segments
// that are literal segments of some template (`/location/orders/{…}/refunds`), so that no id
// from the traffic is ever printed.
import type { Description, OperationSpec } from "../sandbox/description.js";
import { createRouter } from "../sandbox/router.js";
import type { Observed } from "./observed.js";
import { matchServer, type ServerPattern } from "./servers.js";

export type OperationMatch =
  | { kind: "operation"; operation: OperationSpec }
  /** No operation has this path (or not with this method). */
  | { kind: "unknown"; method: string; pattern: string }
  /** Not an exchange of this API: counted, not checked. */
  | { kind: "skip"; reason: string };

export function operationMatcher(description: Description, servers: readonly ServerPattern[]) {
  const route = createRouter(description.operations);
  const byId = new Map(description.operations.map((op) => [op.operationId, op]));
  const byTemplate = new Map(
    description.operations.map((op) => [`${op.method} ${op.template}`, op]),
  );
  const literals = new Set(
    description.operations.flatMap((op) =>
      op.template.split("/").filter((s) => s !== "" && !/^\{.*\}$/.test(s)),
    ),
  );
  const generalise = (path: string) =>
    "/" +
    path
      .split("/")
      .filter((s) => s !== "")
      .map((s) => {
        let segment = s;
        try {
          segment = decodeURIComponent(s);
        } catch {
          // kept encoded: then not a literal
        }
        return literals.has(segment) ? segment : "{…}";
      })
      .join("/");

  const byPath = (method: string, path: string): OperationMatch => {
    const lower = method.toLowerCase();
    let found = route(lower, path);
    // HEAD is GET without the body.
    if (found.kind !== "operation" && lower === "head") found = route("get", path);
    if (found.kind === "operation") return { kind: "operation", operation: found.operation };
    return { kind: "unknown", method: method.toUpperCase(), pattern: generalise(path) };
  };

  return (exchange: Observed): OperationMatch => {
    const method = exchange.method;
    if (method === "OPTIONS") return { kind: "skip", reason: "CORS preflight (OPTIONS)" };
    if (method === "CONNECT" || method === "TRACE")
      return { kind: "skip", reason: `${method}: not an API call` };
    if (exchange.operationId !== undefined) {
      const op = byId.get(exchange.operationId);
      if (op) return { kind: "operation", operation: op };
    }
    if (exchange.template !== undefined) {
      const op = byTemplate.get(`${method.toLowerCase()} ${exchange.template}`);
      if (op) return { kind: "operation", operation: op };
    }
    const url = exchange.url;
    if (url === undefined) {
      if (exchange.template !== undefined) return byPath(method, exchange.template);
      return { kind: "skip", reason: "no URL nor operation recorded" };
    }
    if (url.startsWith("/")) {
      // A path without its origin: relative to the description's base path when it has it.
      const path = url.split(/[?#]/, 1)[0]!;
      const base = description.basePath;
      return byPath(method, base && path.startsWith(`${base}/`) ? path.slice(base.length) : path);
    }
    const server = matchServer(servers, url);
    if (server.kind === "other-host") return { kind: "skip", reason: "another host" };
    if (server.kind === "bad-url") return { kind: "skip", reason: "URL that cannot be parsed" };
    return byPath(method, server.path);
  };
}
