// The summary `verify` prints: what was read, then a table of findings grouped by operation
// (errors first), each with its count and first pointer, then the totals, the bounds verify
// worked within and what they cut. Values never appear: pointers, rules, names and counts.
import type { FindingGroup } from "./collector.js";
import { formatBytes } from "./limits.js";
import type { FileStats } from "./observed.js";
import type { VerifyResult } from "./verifier.js";

const day = (t: number | undefined) =>
  t === undefined ? undefined : new Date(t).toISOString().slice(0, 10);

export function span(file: FileStats): string {
  const [first, last] = [day(file.first), day(file.last)];
  return first === undefined ? "undated" : first === last ? first : `${first} to ${last}`;
}

const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${reason}: ${n}`)
    .join(", ");

export const operationLabel = (g: Pick<FindingGroup, "operationId" | "method" | "path">) =>
  g.operationId === undefined
    ? `${g.method} ${g.path} (unknown)`
    : `${g.operationId}  ${g.method} ${g.path}`;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

export function summaryText(result: VerifyResult): string {
  const out: string[] = [];
  const files = result.files;
  out.push(
    `verify ${result.vendor}: ${result.exchanges} exchange${result.exchanges === 1 ? "" : "s"} from ${files.length} file${files.length === 1 ? "" : "s"}, ${result.matched} matched to ${Object.keys(result.exchangesByOperation).length} operation(s) of ${result.description.title} ${result.description.version}`,
  );
  for (const f of files) {
    out.push(
      `  ${f.name}: ${f.format === "har" ? `HAR${f.producer ? ` (${f.producer})` : ""}` : "NDJSON"}, ${f.exchanges} exchange${f.exchanges === 1 ? "" : "s"}, ${span(f)}`,
    );
    if (Object.keys(f.skipped).length > 0) out.push(`    skipped: ${tally(f.skipped)}`);
    if (Object.keys(f.bodies).length > 0) out.push(`    bodies not checked: ${tally(f.bodies)}`);
  }
  out.push("");
  const groups = result.groups;
  if (groups.length === 0) out.push("No findings: every exchange matches the description.");
  else {
    const byOperation = new Map<string, FindingGroup[]>();
    for (const g of groups) {
      const label = operationLabel(g);
      byOperation.set(label, [...(byOperation.get(label) ?? []), g]);
    }
    const rows: string[][] = [
      ["", "finding", "rule", "count", "pattern", "first pointer", "where in the description"],
    ];
    for (const [label, list] of byOperation) {
      const seen = list[0]!.operationId
        ? result.exchangesByOperation[list[0]!.operationId]
        : undefined;
      rows.push([
        `${label}${seen === undefined ? "" : `  (${seen} exchange${seen === 1 ? "" : "s"})`}`,
        "",
        "",
        "",
        "",
        "",
        "",
      ]);
      for (const g of list)
        rows.push([
          `  ${g.severity === "error" ? "ERROR" : "info"}`,
          g.kind,
          g.rule,
          String(g.count),
          g.pattern || "-",
          g.example || "-",
          g.schemaPath ?? "-",
        ]);
    }
    // Operation rows span the table: printed alone, not padded.
    const widths = table(rows.filter((r) => r[1] !== ""));
    let i = 0;
    for (const r of rows) {
      if (r[1] === "" && i > 0) out.push(r[0]!);
      else out.push(widths[i++]!);
    }
  }
  const errors = groups.filter((g) => g.severity === "error");
  out.push(
    "",
    `${errors.length} error finding${errors.length === 1 ? "" : "s"} (${errors.reduce((n, g) => n + g.count, 0)} occurrences), ${groups.length - errors.length} informational.` +
      (errors.length > 0
        ? " Errors: the description refuses what the API sent (exit code 1)."
        : ""),
    `Bounds: lines and HAR entries up to ${formatBytes(result.limits.maxLineBytes)}, bodies up to ${formatBytes(result.limits.maxBodyBytes)} decoded; each file read once, one exchange in memory at a time.`,
  );
  return `${out.join("\n")}\n`;
}
