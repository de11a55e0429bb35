// Helpers of the verify tests: exchanges built in memory, the CLI run as a user runs it.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../scripts/lib/vendors.js";
import type { FindingGroup } from "../../src/verify/collector.js";
import { emptyFileStats, type FileStats, type Observed } from "../../src/verify/observed.js";
import { Verifier, type VerifyOptions } from "../../src/verify/verifier.js";

export const fixture = (name: string) => path.join(repoRoot, "test", "verify", "fixtures", name);

export function observed(
  partial: Partial<Observed> & Pick<Observed, "method" | "status">,
): Observed {
  return {
    file: 0,
    at: 1,
    url: undefined,
    template: undefined,
    operationId: undefined,
    headers: { "content-type": "application/json" },
    mediaType: "application/json",
    bodyState: partial.body === undefined ? "empty" : "json",
    body: undefined,
    timestamp: undefined,
    personal: undefined,
    ...partial,
  };
}

const stats = (): FileStats => emptyFileStats("memory");

/** Verifies exchanges held in memory; the result, and the counts of the one "file". */
export function verifyExchanges(
  vendor: string,
  exchanges: Observed[],
  options: VerifyOptions = {},
) {
  const verifier = new Verifier(vendor, options);
  const file = stats();
  verifier.files.push(file);
  for (const e of exchanges) verifier.exchange(e, file);
  return { ...verifier.result(), file };
}

/** A finding group in a form that reads well in a failed assertion. */
export const brief = (g: FindingGroup) =>
  `${g.severity} ${g.kind} ${g.operationId ?? g.path} ${g.rule} ${g.pattern || g.header || "-"} @${g.schemaPath} (${g.count}×)`;

const run = promisify(execFile);

/** `commerce-openapi verify …` in its own process (src/cli/index.ts through tsx). */
export async function cli(args: string[], cwd = repoRoot) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "src", "cli", "index.ts"), ...args],
      { cwd, maxBuffer: 64 * 2 ** 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
