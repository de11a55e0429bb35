// generated/ is committed; it must be exactly what the build writes from the current sources.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runVendorPipeline } from "../scripts/lib/pipeline.js";
import { responseValidators, validatorsDir } from "../scripts/lib/response-validators.js";
import { discoverVendors } from "../scripts/lib/vendors.js";

const vendors = await discoverVendors();

describe("generated/ is current", () => {
  it("has a vendor folder for every openapi/<vendor>/openapi.yaml", () => {
    expect(vendors.map((v) => v.name)).toEqual(expect.arrayContaining(["hiboutik", "hubrise"]));
  });

  it.each(vendors.map((v) => [v.name, v] as const))(
    "%s: bundle, types, docs overlay and response validators match the sources",
    async (_name, vendor) => {
      const fresh = await runVendorPipeline(vendor, { lint: false });
      const files: [path: string, written: string][] = [
        [vendor.bundlePath, fresh.bundleJson],
        [vendor.typesPath, fresh.types],
        [vendor.docsOverlayPath, fresh.docsOverlay],
      ];
      // Compare as text but report briefly: a stale file means "run npm run build and commit generated/".
      for (const [file, written] of files)
        expect(
          (await readFile(file, "utf8")) === written,
          `${file} is stale: run npm run build`,
        ).toBe(true);
      expect(fresh.problems.filter((p) => p.severity === "error")).toEqual([]);

      // The validators, from the fresh bundle: the same files, none missing and none left over.
      const dir = validatorsDir(vendor);
      const validators = await responseValidators(JSON.parse(fresh.bundleJson), vendor.name);
      const committed = (await readdir(dir).catch(() => [])).sort();
      expect(committed, `${dir} is stale: run npm run build`).toEqual([...validators.keys()]);
      for (const [name, written] of validators) {
        const file = path.join(dir, name);
        expect(
          (await readFile(file, "utf8")) === written,
          `${file} is stale: run npm run build`,
        ).toBe(true);
      }
    },
  );
});
