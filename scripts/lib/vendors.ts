// Vendors are discovered from the folder layout: adding `openapi/<vendor>/openapi.yaml` adds a vendor.
import { readdir, access } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Vendor {
  /** Folder name, also the package subpath (`commerce-openapi/<name>`). */
  name: string;
  /** Source folder, `openapi/<name>`. */
  sourceDir: string;
  /** Root document, `openapi/<name>/openapi.yaml`. */
  root: string;
  /** Committed outputs, `generated/<name>`. */
  generatedDir: string;
  bundlePath: string;
  typesPath: string;
  /** The docs overlay the build derives (code samples, evidence notes). */
  docsOverlayPath: string;
}

export function vendorPaths(name: string, root = repoRoot): Vendor {
  const sourceDir = path.join(root, "openapi", name);
  const generatedDir = path.join(root, "generated", name);
  return {
    name,
    sourceDir,
    root: path.join(sourceDir, "openapi.yaml"),
    generatedDir,
    bundlePath: path.join(generatedDir, "openapi.json"),
    typesPath: path.join(generatedDir, "schema.d.ts"),
    docsOverlayPath: path.join(generatedDir, "docs.overlay.yaml"),
  };
}

export async function discoverVendors(root = repoRoot): Promise<Vendor[]> {
  const entries = await readdir(path.join(root, "openapi"), { withFileTypes: true });
  const vendors: Vendor[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const vendor = vendorPaths(entry.name, root);
    try {
      await access(vendor.root);
      vendors.push(vendor);
    } catch {
      // A folder without openapi.yaml is not a vendor (yet).
    }
  }
  return vendors.sort((a, b) => a.name.localeCompare(b.name));
}
