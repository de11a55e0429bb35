// Spectral with the house ruleset (.spectral.yaml), run on the bundled JSON: Spectral misreads
// multi-file 3.1 sources (false oas3-schema errors for path $refs, stoplightio/spectral#2655).
import fs from "node:fs";
import path from "node:path";
import { Document, Spectral, type ISpectralDiagnostic } from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { bundleAndLoadRuleset } from "@stoplight/spectral-ruleset-bundler/with-loader";
import type { Problem } from "./problems.js";
import { repoRoot } from "./vendors.js";

let spectral: Promise<Spectral> | undefined;

function loadSpectral(): Promise<Spectral> {
  spectral ??= (async () => {
    const ruleset = await bundleAndLoadRuleset(path.join(repoRoot, ".spectral.yaml"), {
      fs,
      // Rulesets are local files; refuse any attempt to fetch one over the network.
      fetch: () => Promise.reject(new Error("remote rulesets are not allowed")),
    });
    const instance = new Spectral();
    instance.setRuleset(ruleset);
    return instance;
  })();
  return spectral;
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

export async function spectralLint(json: string, file: string): Promise<Problem[]> {
  const instance = await loadSpectral();
  const results = await instance.run(new Document(json, spectralParsers.Json, file));
  return results.filter((d) => d.severity <= 1).map((d) => toProblem(d, file));
}
