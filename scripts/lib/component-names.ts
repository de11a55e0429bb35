// Component names must be the explicit names the sources give them (file basenames). A bundler
// that renames a clashing component (`Order-2`) would silently change the generated types.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Problem } from "./problems.js";

async function yamlBasenames(dir: string, into = new Set<string>()): Promise<Set<string>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await yamlBasenames(full, into);
    else if (/\.ya?ml$/.test(entry.name)) into.add(entry.name.replace(/\.ya?ml$/, ""));
  }
  return into;
}

export async function renamedComponents(
  bundled: Record<string, unknown>,
  sourceDir: string,
): Promise<Problem[]> {
  const known = await yamlBasenames(sourceDir);
  const components = (bundled.components ?? {}) as Record<string, Record<string, unknown>>;
  const problems: Problem[] = [];
  for (const [kind, entries] of Object.entries(components)) {
    if (kind === "securitySchemes") continue; // declared inline in the root, by name
    for (const name of Object.keys(entries ?? {})) {
      if (!known.has(name)) {
        problems.push({
          tool: "build",
          severity: "error",
          rule: "component-renamed",
          message: `bundling produced components.${kind}.${name}, which matches no source file name: give the clashing files unique names`,
          where: `#/components/${kind}/${name}`,
        });
      }
    }
  }
  return problems;
}
