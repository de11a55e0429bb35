// What every vendor sandbox takes besides the engine's options, and the checks of what a user
// gives it: a seed (the same seed, the same data and credentials), and a data set of their own,
// checked record by record against the description before the sandbox starts.
import type { Description } from "./description.js";
import type { EngineOptions } from "./server.js";
import { Random } from "./random.js";
import { schemaChecker } from "./schemas.js";

export interface SandboxOptions extends EngineOptions {
  /** The seed of the generated data and credentials. Default `"commerce-openapi"`. */
  seed?: string | number;
}

export const DEFAULT_SEED = "commerce-openapi";

/** A credential that looks like one and depends on the seed only (`sandbox-<label>-<hex>`). */
export function seededSecret(seed: string | number, label: string): string {
  return `sandbox-${label}-${new Random(seed).fork("credentials", label).text("0123456789abcdef", 24)}`;
}

/**
 * Checks the records of a user's data set against the schema at `pointer` (a component schema,
 * `#/components/schemas/Order`): a TypeError names the first record that does not fit, and why.
 */
export function checkRecords(
  description: Description,
  label: string,
  pointer: string,
  records: unknown,
): unknown[] {
  if (!Array.isArray(records)) throw new TypeError(`data.${label} must be an array`);
  const { check } = schemaChecker(description.doc);
  records.forEach((record, i) => {
    const wrong = check(pointer, record);
    if (wrong.length > 0) {
      const why = wrong
        .slice(0, 3)
        .map((v) => `${v.at || "/"} ${v.message}`)
        .join("; ");
      throw new TypeError(`data.${label}[${i}] is not a ${pointer.split("/").pop()}: ${why}`);
    }
  });
  return records;
}
