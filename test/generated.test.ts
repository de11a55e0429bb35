// generated/ is committed; it must be exactly what the build writes from the current sources.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runVendorPipeline } from "../scripts/lib/pipeline.js";
import { discoverVendors } from "../scripts/lib/vendors.js";

const vendors = await discoverVendors();

describe("generated/ is current", () => {
  it("has a vendor folder for every openapi/<vendor>/openapi.yaml", () => {
    expect(vendors.map((v) => v.name)).toEqual(expect.arrayContaining(["hiboutik", "hubrise"]));
  });

  it.each(vendors.map((v) => [v.name, v] as const))(
    "%s: bundle and types match the sources",
    async (_name, vendor) => {
      const fresh = await runVendorPipeline(vendor, { lint: false });
      const [bundle, types] = await Promise.all([
        readFile(vendor.bundlePath, "utf8"),
        readFile(vendor.typesPath, "utf8"),
      ]);
      // Compare as text but report briefly: a stale file means "run npm run build and commit generated/".
      expect(bundle === fresh.bundleJson, `${vendor.bundlePath} is stale: run npm run build`).toBe(
        true,
      );
      expect(types === fresh.types, `${vendor.typesPath} is stale: run npm run build`).toBe(true);
      expect(fresh.problems.filter((p) => p.severity === "error")).toEqual([]);
    },
  );
});
