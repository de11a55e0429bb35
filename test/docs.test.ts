// The docs the build writes work offline: Redoc ships beside the pages and no page refers to an
// http(s) script, style, font or image.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { operationsOf } from "../scripts/lib/stats.js";
import { discoverVendors, repoRoot } from "../scripts/lib/vendors.js";
import { loadBundle } from "./support/bundled.js";

const docs = path.join(repoRoot, "dist", "docs");
const vendors = (await discoverVendors()).map((v) => v.name);

describe("dist/docs", () => {
  it("holds the index, one page per vendor and the Redoc script", () => {
    expect(vendors).toEqual(expect.arrayContaining(["hiboutik", "hubrise"]));
    for (const file of ["index.html", ...vendors.map((v) => `${v}.html`), "redoc.standalone.js"])
      expect(existsSync(path.join(docs, file)), file).toBe(true);
  });

  it("refers to nothing on the network", () => {
    for (const file of readdirSync(docs).filter((f) => f.endsWith(".html"))) {
      expect(readFileSync(path.join(docs, file), "utf8"), file).not.toMatch(
        /(src|href)=["']?https?:\/\//i,
      );
    }
  });

  it.each(vendors)(
    "%s: the page embeds the bundled description, the index shows its counts",
    (vendor) => {
      const page = readFileSync(path.join(docs, `${vendor}.html`), "utf8");
      const json =
        /<script id="openapi-description" type="application\/json">([\s\S]*?)<\/script>/.exec(
          page,
        )?.[1];
      const embedded = JSON.parse(json ?? "null");
      expect(embedded).toEqual(loadBundle(vendor));
      const index = readFileSync(path.join(docs, "index.html"), "utf8");
      const card = new RegExp(`href="${vendor}.html"[\\s\\S]*?</dl>`).exec(index)?.[0] ?? "";
      expect(card).toContain(`<dd data-field="operations">${operationsOf(embedded).length}</dd>`);
    },
  );
});
