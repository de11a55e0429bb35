// The pull-request text `--report` writes: what was verified (the recordings by file name, their
// format, producer, exchange counts and dates, never their content), what the description
// refuses, what it does not document, which inferred operations the traffic confirms, and the
// overlay that goes with it. Pointers are patterns (array indices and map keys as `*`), so no
// value, id or credential from the traffic can appear; enum values the overlay proposes are
// schema facts and are named as such.
import type { FindingGroup } from "./collector.js";
import { span } from "./summary.js";
import type { VerifyResult } from "./verifier.js";

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, "\\|");
const plural = (n: number, word: string) =>
  `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

const operation = (g: FindingGroup) =>
  g.operationId === undefined
    ? `${code(`${g.method} ${g.path}`)} (no operation)`
    : `${code(`${g.method} ${g.path}`)} (${code(g.operationId)})`;

function findingsTable(groups: readonly FindingGroup[]): string[] {
  const rows = [
    "| operation | finding | where (pattern) | rule | seen | statuses | description node |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const g of groups)
    rows.push(
      `| ${operation(g)} | ${g.kind} | ${g.pattern ? code(cell(g.pattern)) : "body"} | ${code(g.rule)} | ${g.count} | ${g.statuses.sort((a, b) => a - b).join(", ")} | ${g.schemaPath ? code(g.schemaPath) : "-"} |`.replace(
        /\n/g,
        " ",
      ),
    );
  return rows;
}

export function reportMarkdown(
  result: VerifyResult,
  overlay: { file: string; actions: number } | undefined,
): string {
  const { description } = result;
  const out: string[] = [];
  const errors = result.groups.filter((g) => g.severity === "error");
  const evidence = result.groups.filter((g) => g.kind === "evidence");
  const info = result.groups.filter((g) => g.severity === "info" && g.kind !== "evidence");
  out.push(
    `## ${description.title} ${description.version}: drift found in recorded traffic`,
    "",
    `\`npx commerce-openapi verify ${result.vendor}\` checked ${plural(result.exchanges, "exchange")} from ${plural(result.files.length, "recording")} against the bundled description; ${plural(result.matched, "exchange")} matched ${plural(Object.keys(result.exchangesByOperation).length, "operation")}.`,
    "",
    "| recording | format | producer | exchanges | dates | skipped |",
    "|---|---|---|---|---|---|",
  );
  for (const f of result.files) {
    const skipped = Object.values(f.skipped).reduce((a, b) => a + b, 0);
    out.push(
      `| ${code(f.name)} | ${f.format === "har" ? "HAR" : "NDJSON"} | ${f.producer ? cell(f.producer) : "-"} | ${f.exchanges.toLocaleString("en")} | ${span(f)} | ${
        skipped === 0
          ? "-"
          : `${skipped} (${Object.entries(f.skipped)
              .map(([r, n]) => `${r}: ${n}`)
              .join(", ")})`
      } |`,
    );
  }
  out.push("");
  if (errors.length > 0) {
    out.push(
      `### The description refuses what the API sent (${plural(errors.length, "finding")})`,
      "",
      ...findingsTable(errors),
      "",
    );
  } else out.push("### Nothing the description refuses", "");
  if (info.length > 0)
    out.push(
      `### Not documented (informational: the schemas are open, clients accept it) (${plural(info.length, "finding")})`,
      "",
      ...findingsTable(info),
      "",
    );
  if (evidence.length > 0) {
    out.push(
      "### Evidence: inferred operations seen answering",
      "",
      "These operations are marked `x-evidence: inferred`; the traffic shows them answering (the best evidence there is; their findings, if any, are listed above):",
      "",
    );
    for (const g of evidence)
      out.push(
        `- ${operation(g)}: ${plural(g.count, "exchange")}, status ${g.statuses.sort((a, b) => a - b).join(", ")}`,
      );
    out.push("");
  }
  out.push("### Proposed changes", "");
  out.push(
    overlay?.actions === 0
      ? "Nothing to propose: no overlay was written."
      : overlay
        ? `${code(overlay.file)} is an OpenAPI Overlay 1.0 with ${plural(overlay.actions, "action")} that would make the description accept what was seen (targets are JSONPaths into \`generated/${result.vendor}/openapi.json\`; port them to \`openapi/${result.vendor}/\`). Each action's description cites its finding. Review each: an undocumented field's schema is inferred from the JSON types seen, a relaxed pattern needs a right one.`
        : "No overlay was written (`--overlay out.yaml` writes one).",
    "",
    "Patterns replace array indices and map keys with `*`. No body value, id or credential from the recordings appears here or in the overlay; the only values are enum values the API sent for enum fields, listed in the overlay as schema facts.",
    "",
  );
  return out.join("\n");
}
