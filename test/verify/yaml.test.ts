// The overlay's YAML reads back as the same data (openapi-format's parser, as scripts/ use it):
// strings YAML would take for something else (numbers, booleans, null, comments, indicators)
// are quoted.
import { describe, expect, it } from "vitest";
import { parseOverlay } from "../../scripts/lib/overlays.js";
import { toYaml } from "../../src/verify/yaml.js";

describe("toYaml", () => {
  it("round-trips awkward strings, numbers, nulls, empty and nested containers", async () => {
    const data = {
      overlay: "1.0.0",
      "418": { description: "Undocumented: seen (2026-12-01). Describe it." },
      "$.paths['/location/orders/{order_id}'].get": [
        "a",
        "yes",
        "no",
        "on",
        "null",
        "~",
        "10",
        "1e3",
        "-x",
        "#/components",
        "a #b",
        "trailing:",
        "",
        " lead",
        "multi\nline",
        'quote"s',
        "é…",
      ],
      enum: ["new", 3, 2.5, true, null],
      empty: {},
      none: [],
      nested: [{ a: 1, b: [{ c: "d" }] }, [1, [2]]],
      "application/json": { schema: { type: ["string", "null"] } },
    };
    expect(await parseOverlay(toYaml(data))).toEqual(data);
  });
});
