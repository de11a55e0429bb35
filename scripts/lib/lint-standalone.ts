// Lints one single-file description (a lint fixture, a draft) with both linters: Redocly with the
// root rules of redocly.yaml and Spectral with the house ruleset.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Problem } from "./problems.js";
import { lintFile, loadBaseConfig } from "./redocly.js";
import { spectralLint } from "./spectral.js";

/** Lints one single-file description with both linters. */
export async function lintStandalone(file: string): Promise<Problem[]> {
  const absolute = path.resolve(file);
  const [redocly, spectral] = await Promise.all([
    loadBaseConfig().then((config) => lintFile(absolute, config)),
    readFile(absolute, "utf8").then((text) => spectralLint(text, absolute)),
  ]);
  return [...redocly, ...spectral];
}
