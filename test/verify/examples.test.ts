// Every response example of the four descriptions (openapi/<vendor>/examples/** and the inline
// ones, as the bundle carries them; text ones as bodies that are not JSON), sent back as the
// answer of its operation and status:
// verify finds nothing wrong and nothing undocumented. The only finding allowed is the evidence
// an inferred operation gets from being seen.
import { describe, expect, it } from "vitest";
import { loadDescription } from "../../src/sandbox/description.js";
import type { Observed } from "../../src/verify/observed.js";
import { brief, observed, verifyExchanges } from "./support.js";

const VENDORS = ["hubrise", "hiboutik", "hike", "subscriptions-only"];

/** One exchange per response example: the operation's, at the response's status. */
function exampleExchanges(vendor: string) {
  const description = loadDescription(vendor);
  const exchanges: Observed[] = [];
  const where: string[] = [];
  for (const op of description.operations) {
    const object = description.resolve({ $ref: op.pointer }, op.pointer).node;
    for (const [key, raw] of Object.entries<any>(object.responses ?? {})) {
      const status = /^\d{3}$/.test(key)
        ? Number(key)
        : key.toUpperCase().endsWith("XX")
          ? Number(key[0]) * 100
          : 500;
      const response = description.resolve(raw, "").node;
      for (const [mediaType, media] of Object.entries<any>(response.content ?? {})) {
        const json = /json/.test(mediaType);
        const examples = [
          ...(media.example === undefined ? [] : [["example", media.example]]),
          ...Object.entries<any>(media.examples ?? {}).map(([name, ex]) => [
            name,
            description.resolve(ex, "").node?.value,
          ]),
        ].filter(([, value]) => value !== undefined);
        for (const [name, body] of examples) {
          // A text example (Hike's 429s) is an answer whose body is not JSON.
          exchanges.push(
            observed({
              method: op.method.toUpperCase(),
              operationId: op.operationId,
              template: op.template,
              status,
              headers: { "content-type": mediaType },
              mediaType,
              ...(json ? { body, bodyState: "json" } : { bodyState: "not-json" }),
            }),
          );
          where.push(`${op.operationId} ${key} ${name}`);
        }
      }
    }
  }
  return { exchanges, where };
}

describe("every example payload verifies clean", () => {
  for (const vendor of VENDORS)
    it(vendor, () => {
      const { exchanges, where } = exampleExchanges(vendor);
      expect(exchanges.length).toBeGreaterThan(0);
      const result = verifyExchanges(vendor, exchanges);
      const findings = result.groups.filter((g) => g.kind !== "evidence");
      expect(
        findings.map(brief),
        `${exchanges.length} examples (${where.slice(0, 3).join(", ")}…)`,
      ).toEqual([]);
      expect(result.matched).toBe(exchanges.length);
      // Evidence only for operations marked inferred.
      for (const g of result.groups.filter((g) => g.kind === "evidence"))
        expect(loadDescription(vendor).operation(g.operationId!).evidence).toBe("inferred");
    });
});
