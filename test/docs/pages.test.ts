// The docs the build writes: Redoc ships beside the pages, no page refers to an http(s) script,
// style, font or image, and each page renders the bundle with the overlays applied.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { docsDescription, UNVERIFIED_MARK } from "../../scripts/lib/docs-description.js";
import { operationsOf } from "../../scripts/lib/stats.js";
import { discoverVendors, repoRoot } from "../../scripts/lib/vendors.js";
import { loadBundle } from "../support/bundled.js";

const docs = path.join(repoRoot, "dist", "docs");
const vendors = await discoverVendors();

function embeddedDescription(vendor: string): Record<string, unknown> {
  const page = readFileSync(path.join(docs, `${vendor}.html`), "utf8");
  const json =
    /<script id="openapi-description" type="application\/json">([\s\S]*?)<\/script>/.exec(
      page,
    )?.[1];
  return JSON.parse(json ?? "null") as Record<string, unknown>;
}

describe("dist/docs", () => {
  it("holds the index, one page per vendor and the Redoc script", () => {
    expect(vendors.map((v) => v.name)).toEqual(expect.arrayContaining(["hiboutik", "hubrise"]));
    for (const file of [
      "index.html",
      ...vendors.map((v) => `${v.name}.html`),
      "redoc.standalone.js",
    ])
      expect(existsSync(path.join(docs, file)), file).toBe(true);
  });

  it("refers to nothing on the network", () => {
    for (const file of readdirSync(docs).filter((f) => f.endsWith(".html"))) {
      expect(readFileSync(path.join(docs, file), "utf8"), file).not.toMatch(
        /(src|href)=["']?https?:\/\//i,
      );
    }
  });

  it.each(vendors.map((v) => [v.name, v] as const))(
    "%s: the page embeds the bundle with the overlays applied, the index shows its counts",
    async (name, vendor) => {
      const embedded = embeddedDescription(name);
      const expected = await docsDescription(loadBundle(name), vendor);
      expect(expected.problems).toEqual([]);
      expect(embedded).toEqual(expected.description);

      // Every operation has its sample; every inferred one (webhooks too) opens with the note.
      for (const section of ["paths", "webhooks"] as const)
        for (const { path: p, method, operation } of operationsOf(embedded, section)) {
          const where = `${section} ${method} ${p}`;
          if (section === "paths") expect(operation["x-codeSamples"], where).toHaveLength(1);
          const inferred =
            (operation["x-evidence"] as { level?: string } | undefined)?.level === "inferred";
          expect(String(operation.description).startsWith(`> ${UNVERIFIED_MARK}`), where).toBe(
            inferred,
          );
        }

      const index = readFileSync(path.join(docs, "index.html"), "utf8");
      const card = new RegExp(`href="${name}.html"[\\s\\S]*?</dl>`).exec(index)?.[0] ?? "";
      expect(card).toContain(`<dd data-field="operations">${operationsOf(embedded).length}</dd>`);
    },
  );
});
