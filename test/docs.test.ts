// The docs the build writes work offline: Redoc ships beside the pages and no page refers to an
// http(s) script, style, font or image.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { operationsOf } from "../scripts/lib/stats.js";
import { repoRoot } from "../scripts/lib/vendors.js";
import { loadBundle } from "./support/bundled.js";

const docs = path.join(repoRoot, "dist", "docs");

describe("dist/docs", () => {
  it("holds the index, one page per vendor and the Redoc script", () => {
    for (const file of ["index.html", "hubrise.html", "redoc.standalone.js"])
      expect(existsSync(path.join(docs, file)), file).toBe(true);
  });

  it("refers to nothing on the network", () => {
    for (const file of readdirSync(docs).filter((f) => f.endsWith(".html"))) {
      expect(readFileSync(path.join(docs, file), "utf8"), file).not.toMatch(
        /(src|href)=["']?https?:\/\//i,
      );
    }
  });

  it("embeds the bundled description and shows its counts on the index", () => {
    const page = readFileSync(path.join(docs, "hubrise.html"), "utf8");
    const json =
      /<script id="openapi-description" type="application\/json">([\s\S]*?)<\/script>/.exec(
        page,
      )?.[1];
    const embedded = JSON.parse(json ?? "null");
    expect(embedded).toEqual(loadBundle("hubrise"));
    const index = readFileSync(path.join(docs, "index.html"), "utf8");
    const count = operationsOf(embedded).length;
    expect(index).toContain(`href="hubrise.html"`);
    expect(index).toContain(`<dd data-field="operations">${count}</dd>`);
  });
});
