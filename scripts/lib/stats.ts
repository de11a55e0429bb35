// Counts shown on the docs index and in the build summary.
export const HTTP_METHODS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
] as const;

export interface Operation {
  path: string;
  method: (typeof HTTP_METHODS)[number];
  operation: Record<string, unknown>;
}

export function operationsOf(
  doc: Record<string, unknown>,
  section: "paths" | "webhooks" = "paths",
): Operation[] {
  const items = (doc[section] ?? {}) as Record<string, Record<string, unknown>>;
  const out: Operation[] = [];
  for (const [p, item] of Object.entries(items)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (operation) out.push({ path: p, method, operation });
    }
  }
  return out;
}

export interface VendorStats {
  title: string;
  summary: string;
  operations: number;
  confirmed: number;
  inferred: number;
  webhooks: number;
  authSchemes: string[];
}

interface SecurityScheme {
  type: string;
  scheme?: string;
  name?: string;
  in?: string;
  flows?: object;
}

function describeScheme(s: SecurityScheme): string {
  if (s.type === "apiKey") return `API key in ${s.in} ${s.name}`;
  if (s.type === "http") return `HTTP ${s.scheme === "basic" ? "Basic" : s.scheme}`;
  if (s.type === "oauth2") {
    const flows = Object.keys(s.flows ?? {}).map((f) => f.replace(/([A-Z])/g, " $1").toLowerCase());
    return `OAuth 2.0 (${flows.join(", ")})`;
  }
  return s.type;
}

export function vendorStats(doc: Record<string, unknown>): VendorStats {
  const ops = operationsOf(doc);
  const level = (o: Operation) =>
    (o.operation["x-evidence"] as { level?: string } | undefined)?.level;
  const schemes = ((doc.components as Record<string, unknown> | undefined)?.securitySchemes ??
    {}) as Record<string, SecurityScheme>;
  return {
    title: String((doc.info as { title?: string } | undefined)?.title ?? ""),
    summary: String((doc.info as { summary?: string } | undefined)?.summary ?? ""),
    operations: ops.length,
    confirmed: ops.filter((o) => level(o) === "confirmed").length,
    inferred: ops.filter((o) => level(o) === "inferred").length,
    webhooks: operationsOf(doc, "webhooks").length,
    authSchemes: Object.values(schemes).map(describeScheme),
  };
}
