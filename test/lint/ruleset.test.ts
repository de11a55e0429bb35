// Proof of every house rule: each has a minimal bad fixture that triggers exactly that rule (with
// a message that says how to fix it), one clean fixture triggers nothing, and the four vendor
// descriptions pass the whole lint.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parseYaml } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { lintStandalone } from "../../scripts/lib/lint-standalone.js";
import { runVendorPipeline } from "../../scripts/lib/pipeline.js";
import { discoverVendors, repoRoot } from "../../scripts/lib/vendors.js";

const fixtures = path.join(repoRoot, "test", "lint", "fixtures");
const ruleset = parseYaml(readFileSync(path.join(repoRoot, ".spectral.yaml"), "utf8")) as {
  rules: Record<string, unknown>;
};
/** The house rules: the ones the ruleset defines (not the spectral:oas switches). */
const houseRules = Object.entries(ruleset.rules)
  .filter(([, rule]) => typeof rule === "object" && rule !== null && "given" in rule)
  .map(([name]) => name);
/** Redocly's example validation runs in the same lint and is proven the same way. */
const provenRules = [...houseRules, "no-invalid-media-type-examples"];

/** What each rule's message must tell the author to do. */
const FIX_HINT: Record<string, RegExp> = {
  "operation-evidence": /Add x-evidence/,
  "operation-id-camel-case": /camelCase operationId/,
  "operation-summary-present": /Add a short summary/,
  "operation-tagged": /Add tags/,
  "operation-security-declared": /add security/,
  "error-responses-shared": /\$ref to the vendor's shared response/,
  "paging-headers-documented": /document the X-Cursor-Next response header as \$ref/,
  "money-as-string": /make it type: string with a pattern/,
  "servers-https": /https:\/\//,
  "no-nullable-keyword": /type: \[<type>, "null"\]/,
  "inline-schema-size": /move it to components\/schemas/,
  "shared-parameters-and-headers-are-refs": /define it once in components and \$ref it/,
  "schema-names-not-globals": /rename it to say what it is/,
  "response-schemas-open":
    /remove it, so that a field the vendor adds cannot break a validating client/,
  "no-invalid-media-type-examples": /./,
};

describe("house lint ruleset", () => {
  it("has a bad fixture for every rule, and nothing else", () => {
    const files = readdirSync(fixtures).map((f) => f.replace(/\.yaml$/, ""));
    expect(files.sort()).toEqual(["clean", ...provenRules].sort());
    expect(Object.keys(FIX_HINT).sort()).toEqual([...provenRules].sort());
  });

  it("finds nothing in the clean fixture", async () => {
    expect(await lintStandalone(path.join(fixtures, "clean.yaml"))).toEqual([]);
  });

  it.each(provenRules)("%s: its bad fixture triggers exactly that rule", async (rule) => {
    const problems = await lintStandalone(path.join(fixtures, `${rule}.yaml`));
    // Redocly's struct check also rejects the 3.0 keyword; the house rule is the one that says how to fix it.
    const others = problems.filter(
      (p) => p.rule !== rule && !(rule === "no-nullable-keyword" && p.rule === "struct"),
    );
    expect(others).toEqual([]);
    const own = problems.filter((p) => p.rule === rule);
    expect(own.length).toBeGreaterThan(0);
    for (const p of own) {
      expect(p.severity).toBe("error");
      expect(p.message).toMatch(FIX_HINT[rule]!);
    }
  });

  it("response-schemas-open: follows $refs, cycles and webhooks to what the vendor sends, and only to that", async () => {
    const problems = await lintStandalone(path.join(fixtures, "response-schemas-open.yaml"));
    const at = problems
      .filter((p) => p.rule === "response-schemas-open")
      .map((p) => p.where.replace(/^.*#\//, ""))
      .sort();
    // Not reported: OrderCreate (POST /orders' request body) and Acknowledgement (the answer the
    // integrator gives the webhook) are sent by the client, where a closure documents a refusal.
    expect(at).toEqual(
      [
        "components/schemas/Customer/additionalProperties",
        "components/schemas/ErrorBody/unevaluatedProperties",
        "components/schemas/Order/properties/lines/prefixItems/0/additionalProperties",
        "components/schemas/OrderEvent/additionalProperties",
      ].sort(),
    );
  });

  it("`npm run lint` exits non-zero on a bad fixture and zero on the clean one", async () => {
    const run = (file: string) =>
      promisify(execFile)(process.execPath, [
        path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs"),
        path.join(repoRoot, "scripts", "lint.ts"),
        path.join(fixtures, file),
      ]).then(
        () => 0,
        (err: { code?: number }) => err.code ?? -1,
      );
    expect(await run("clean.yaml")).toBe(0);
    expect(await run("money-as-string.yaml")).toBe(1);
  }, 60_000);

  it("passes all four vendor descriptions", async () => {
    const vendors = await discoverVendors();
    expect(vendors.map((v) => v.name).sort()).toEqual([
      "hiboutik",
      "hike",
      "hubrise",
      "subscriptions-only",
    ]);
    const results = await Promise.all(
      vendors.map((v) => runVendorPipeline(v, { lint: true, types: false })),
    );
    const problems = results.flatMap((r) => r.problems);
    expect(problems).toEqual([]);
  }, 120_000);
});
