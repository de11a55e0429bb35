// Spectral with the house ruleset (.spectral.yaml), on the split sources and on the bundled JSON.
// On the sources one false positive of Spectral's (stoplightio/spectral#2655) is scoped away in
// .spectral.yaml; the bundle gets every rule.
import fs from "node:fs";
import path from "node:path";
import { Document, Spectral, type ISpectralDiagnostic } from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { bundleAndLoadRuleset } from "@stoplight/spectral-ruleset-bundler/with-loader";
import type { Problem } from "./problems.js";
import { repoRoot } from "./vendors.js";

let ruleset: ReturnType<typeof bundleAndLoadRuleset> | undefined;

// The ruleset is bundled once; each run gets a new Spectral, because an instance keeps what its
// last run resolved (60–70 MB on a 1,000-operation description) alive until the next run.
async function newSpectral(): Promise<Spectral> {
  ruleset ??= bundleAndLoadRuleset(path.join(repoRoot, ".spectral.yaml"), {
    fs,
    // Rulesets are local files; refuse any attempt to fetch one over the network.
    fetch: () => Promise.reject(new Error("remote rulesets are not allowed")),
  });
  const instance = new Spectral();
  instance.setRuleset(await ruleset);
  return instance;
}

// Spectral's DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
function toProblem(d: ISpectralDiagnostic, file: string): Problem {
  return {
    tool: "spectral",
    severity: d.severity === 0 ? "error" : "warn",
    rule: String(d.code),
    message: d.message,
    where: `${path.relative(repoRoot, file)}#/${d.path.join("/")}`,
  };
}

/** Lints a document (JSON or YAML by its extension); $refs to other files are followed. */
export async function spectralLint(text: string, file: string): Promise<Problem[]> {
  const instance = await newSpectral();
  const document = file.endsWith(".json")
    ? new Document(text, spectralParsers.Json, file)
    : new Document(text, spectralParsers.Yaml, file);
  const results = await instance.run(document);
  return results.filter((d) => d.severity <= 1).map((d) => toProblem(d, file));
}
