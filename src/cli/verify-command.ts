// `commerce-openapi verify <vendor> <file…>`: checks recorded traffic (NDJSON recordings, HAR
// files) against the vendor's bundled description and prints what does not match, grouped by
// operation. Exit code: 0 when nothing the description refuses was seen, 1 when something was
// (a schema violation, an enum value or pattern not matched, an undocumented status, an unknown
// path the vendor answered with a success), 2 when it could not run (usage, unreadable file, no
// exchange at all). Undocumented fields and headers, unknown paths the vendor refused and
// evidence for inferred operations inform without failing.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { resultJson } from "../verify/json-output.js";
import { buildOverlay } from "../verify/overlay.js";
import { reportMarkdown } from "../verify/report.js";
import { summaryText } from "../verify/summary.js";
import { Verifier } from "../verify/verifier.js";
import { toYaml } from "../verify/yaml.js";
import { SANDBOXES } from "./sandboxes.js";

const usage = () =>
  `usage: verify <vendor> <file…> [--json] [--overlay out.yaml] [--report report.md]\n` +
  `              [--server <base URL>]… [--description openapi.json]\n` +
  `  files: NDJSON recordings (one exchange a line) or HAR 1.2 (devtools, mitmproxy, Charles)\n` +
  `  vendors: ${Object.keys(SANDBOXES).join(", ")}`;

export async function runVerifyCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        overlay: { type: "string" },
        report: { type: "string" },
        server: { type: "string", multiple: true },
        description: { type: "string" },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [vendor, ...files] = positionals;
  if (vendor === undefined || !(vendor in SANDBOXES) || files.length === 0) {
    console.error(usage());
    return 2;
  }
  for (const server of values.server ?? [])
    if (!/^https?:\/\/[^/]/i.test(server)) {
      console.error(`--server ${server}: an absolute http(s) URL, e.g. http://127.0.0.1:4010/v1`);
      return 2;
    }
  let doc: unknown;
  if (values.description !== undefined) {
    try {
      doc = JSON.parse(await readFile(values.description, "utf8"));
    } catch (err) {
      console.error(`--description ${values.description}: ${(err as Error).message}`);
      return 2;
    }
  }

  const verifier = new Verifier(vendor, { servers: values.server ?? [], doc });
  for (const file of files) {
    try {
      await verifier.file(file);
    } catch (err) {
      console.error(`${file}: ${(err as Error).message}`);
      return 2;
    }
  }
  const result = verifier.result();
  if (result.exchanges === 0) {
    console.error(`${files.join(", ")}: no exchange could be read (see the skipped counts)`);
  }
  const code = result.exchanges === 0 ? 2 : result.errors > 0 ? 1 : 0;

  const date = new Date().toISOString().slice(0, 10);
  let overlay: { file: string; actions: number } | undefined;
  if (values.overlay !== undefined) {
    const document = buildOverlay(verifier.doc, result.groups, {
      vendor,
      title: result.description.title,
      date,
      files: result.files.length,
    });
    // An overlay has at least one action: with nothing to propose, no file.
    if (document.actions.length > 0) {
      const text = values.overlay.endsWith(".json")
        ? `${JSON.stringify(document, null, 2)}\n`
        : toYaml(document);
      await writeFile(values.overlay, text);
    }
    overlay = { file: values.overlay, actions: document.actions.length };
  }
  if (values.report !== undefined) await writeFile(values.report, reportMarkdown(result, overlay));

  if (values.json) process.stdout.write(`${JSON.stringify(resultJson(result, code), null, 2)}\n`);
  else {
    process.stdout.write(summaryText(result));
    if (overlay)
      process.stdout.write(
        overlay.actions === 0
          ? `Overlay: nothing to propose, ${overlay.file} not written\n`
          : `Overlay: ${overlay.file} (${overlay.actions} action${overlay.actions === 1 ? "" : "s"}, for review: never applied by verify)\n`,
      );
    if (values.report !== undefined) process.stdout.write(`Report: ${values.report}\n`);
  }
  return code;
}
