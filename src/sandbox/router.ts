// Which operation of the description a request is: its path (after the server's base path) matched
// segment by segment against the path templates, literal segments before `{parameters}` (so
// `/products/search` is not `/products/{product_id}`), a trailing slash ignored. Linear in the
// path's segments and the templates that share its length.
import type { Method, OperationSpec } from "./description.js";

export type RouteMatch =
  | { kind: "operation"; operation: OperationSpec; pathParams: Record<string, string> }
  /** The path exists, not with this method. */
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

interface Template {
  segments: ({ literal: string } | { param: string })[];
  literals: number;
  byMethod: Map<string, OperationSpec>;
}

const segmentsOf = (path: string) => path.split("/").filter((s) => s !== "");

export function createRouter(operations: readonly OperationSpec[]) {
  const templates = new Map<string, Template>();
  for (const op of operations) {
    const key = op.template.replace(/\/$/, "");
    let t = templates.get(key);
    if (!t) {
      const segments = segmentsOf(key).map((s) => {
        const m = /^\{(.+)\}$/.exec(s);
        return m ? { param: m[1]! } : { literal: s };
      });
      t = {
        segments,
        literals: segments.filter((s) => "literal" in s).length,
        byMethod: new Map(),
      };
      templates.set(key, t);
    }
    t.byMethod.set(op.method, op);
  }
  // By segment count, the most literal first: the first template that matches is the right one.
  const byLength = new Map<number, Template[]>();
  for (const t of templates.values()) {
    const list = byLength.get(t.segments.length) ?? [];
    list.push(t);
    byLength.set(t.segments.length, list);
  }
  for (const list of byLength.values()) list.sort((a, b) => b.literals - a.literals);

  return (method: string, path: string): RouteMatch => {
    let segments: string[];
    try {
      segments = segmentsOf(path).map(decodeURIComponent);
    } catch {
      return { kind: "not-found" };
    }
    let allowed: string[] | undefined;
    for (const t of byLength.get(segments.length) ?? []) {
      const params: Record<string, string> = {};
      const fits = t.segments.every((s, i) =>
        "literal" in s ? s.literal === segments[i] : ((params[s.param] = segments[i]!), true),
      );
      if (!fits) continue;
      const operation = t.byMethod.get(method.toLowerCase() as Method);
      if (operation) return { kind: "operation", operation, pathParams: params };
      allowed ??= [...t.byMethod.keys()].map((m) => m.toUpperCase());
    }
    return allowed ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  };
}
