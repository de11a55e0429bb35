// Redocly lint and bundle through @redocly/openapi-core's programmatic API, driven by redocly.yaml.
import path from "node:path";
import {
  bundle,
  lint,
  lintFromString,
  loadConfig,
  type Config,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import type { Problem } from "./problems.js";
import { repoRoot, type Vendor } from "./vendors.js";

process.env.REDOCLY_TELEMETRY ??= "off";
process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE ??= "true";

export async function loadVendorConfig(vendor: Vendor): Promise<Config> {
  const config = await loadConfig({ configPath: path.join(repoRoot, "redocly.yaml") });
  // redocly.yaml names each vendor's API `<vendor>@<vendor's API version>`.
  const aliases = Object.keys(config.resolvedConfig.apis ?? {});
  const alias = aliases.find((a) => a.startsWith(`${vendor.name}@`));
  if (!alias)
    throw new Error(
      `redocly.yaml has no \`apis\` entry for ${vendor.name} (expected ${vendor.name}@<version>)`,
    );
  return config.forAlias(alias);
}

/** The root rules of redocly.yaml, for documents that are not a vendor's (the lint fixtures). */
export async function loadBaseConfig(): Promise<Config> {
  return loadConfig({ configPath: path.join(repoRoot, "redocly.yaml") });
}

export async function lintFile(file: string, config: Config): Promise<Problem[]> {
  return (await lint({ ref: file, config })).filter(notIgnored).map(toProblem);
}

function toProblem(p: NormalizedProblem): Problem {
  const loc = p.location[0];
  const file = loc ? path.relative(repoRoot, loc.source.absoluteRef) : "";
  return {
    tool: "redocly",
    severity: p.severity === "error" ? "error" : "warn",
    rule: p.ruleId,
    message: p.message,
    where: loc ? `${file}${loc.pointer ?? ""}` : file,
  };
}

export async function lintSource(vendor: Vendor, config: Config): Promise<Problem[]> {
  return (await lint({ ref: vendor.root, config })).filter(notIgnored).map(toProblem);
}

export async function lintBundled(
  json: string,
  vendor: Vendor,
  config: Config,
): Promise<Problem[]> {
  const problems = await lintFromString({ source: json, absoluteRef: vendor.bundlePath, config });
  return problems.filter(notIgnored).map(toProblem);
}

export interface BundleOutcome {
  document: Record<string, unknown>;
  problems: Problem[];
  /** Every file the bundle was made from. */
  files: string[];
}

export async function bundleVendor(vendor: Vendor, config: Config): Promise<BundleOutcome> {
  const result = await bundle({
    ref: vendor.root,
    config,
    // A clash of component names must fail the build rather than become `Order-2`.
    componentRenamingConflicts: "error",
    removeUnusedComponents: false,
  });
  return {
    document: result.bundle.parsed as Record<string, unknown>,
    problems: result.problems.filter(notIgnored).map(toProblem),
    files: [...result.fileDependencies],
  };
}

function notIgnored(p: NormalizedProblem): boolean {
  return !p.ignored;
}
