// `npx commerce-openapi verify` as a user runs it, in its own process: the acceptance
// (a HAR with one wrong order exits non-zero naming the operation, the pointer and the rule; the
// overlay it writes applies cleanly with openapi-format, and the description then accepts the
// traffic), `--json`, `--report`, what it refuses, and that nothing from the traffic but names
// and enum values reaches the report or the overlay.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyOverlay, parseOverlay, type OverlayDocument } from "../../scripts/lib/overlays.js";
import { loadBundle } from "../support/bundled.js";
import { cli, fixture } from "./support.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "verify-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const WRONG = fixture("hubrise-one-wrong-order.har");

/** What the fixtures hold that must never be printed: a token, ids, personal data, values. */
const CANARIES = [
  "canary-access-token",
  "canary-extra-value",
  "k2m8x",
  "5dpm9",
  "x7qq2",
  "wbq93",
  "Lovelace",
  "ada.lovelace",
  "charles.moore",
  "+33123456789",
  "Champs",
  "18,90",
  "18.90 EUR",
  "17654322",
];

describe("commerce-openapi verify (acceptance)", () => {
  it("exits 1 on a HAR with one wrong order, naming the operation, the pointer and the rule", async () => {
    const { code, stdout } = await cli(["verify", "hubrise", WRONG]);
    expect(code).toBe(1);
    const line = stdout.split("\n").find((l) => l.includes("ERROR"))!;
    expect(stdout).toContain("listCurrentLocationOrders  GET /location/orders");
    expect(line).toMatch(
      /ERROR\s+pattern\s+pattern\s+1\s+\/\*\/total\s+\/1\/total\s+#\/components\/schemas\/Money\/pattern/,
    );
    expect(stdout).toMatch(
      /info\s+undocumented-field\s+unevaluatedProperties\s+1\s+\/\*\/items\/\*\/allergens/,
    );
    expect(stdout).toContain(
      "hubrise-one-wrong-order.har: HAR (WebInspector 537.36), 6 exchanges, 2026-11-28",
    );
    expect(stdout).toContain("1 error finding");
  });

  it("--overlay writes an Overlay 1.0 that openapi-format applies cleanly, after which the HAR verifies clean", async () => {
    const overlayFile = path.join(dir, "out.yaml");
    const reportFile = path.join(dir, "report.md");
    const { code, stdout } = await cli([
      "verify",
      "hubrise",
      WRONG,
      "--overlay",
      overlayFile,
      "--report",
      reportFile,
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(`Overlay: ${overlayFile}`);
    const overlay = (await parseOverlay(await readFile(overlayFile, "utf8"))) as OverlayDocument;
    expect(overlay.overlay).toBe("1.0.0");
    expect(overlay.actions.map((a) => `${a.target} ${a.remove ? "remove" : "update"}`)).toEqual([
      "$.components.schemas.Money.pattern remove",
      "$.components.schemas.OrderItem.properties update",
    ]);
    for (const action of overlay.actions)
      expect(action.description).toMatch(/listCurrentLocationOrders/);
    expect(overlay.actions[1]!.update).toEqual({
      allergens: { type: "string", description: expect.stringContaining("Undocumented") },
    });

    const { doc, problems } = await applyOverlay(loadBundle("hubrise"), overlay, overlayFile);
    expect(problems).toEqual([]);
    const patched = path.join(dir, "patched.json");
    await writeFile(patched, JSON.stringify(doc));
    const again = await cli(["verify", "hubrise", WRONG, "--description", patched]);
    expect(again.stdout).toContain("No findings");
    expect(again.code).toBe(0);
  });

  it("every kind of overlay action applies cleanly, and the traffic then verifies clean", async () => {
    const order = structuredClone(loadBundle("hubrise").components.examples.Order.value);
    order.items[1].quantity = 2; // type widened
    delete order.created_by; // required dropped
    order.status = "on_hold"; // enum value added
    order.total = "18,90 EUR"; // pattern relaxed
    order.loyalty = { points: 3, tier: null }; // property added, its schema inferred
    order.deals["0"].discount_rate = "0.3"; // property added under a map
    const line = (o: Record<string, unknown>) =>
      JSON.stringify({
        method: "GET",
        url: "https://api.hubrise.com/v1/location/orders/5dpm9",
        status: 200,
        headers: { "content-type": "application/json", "x-hubrise-shard": "7" }, // header added
        body: order,
        timestamp: "2026-11-30T10:00:00Z",
        ...o,
      });
    const recording = path.join(dir, "mutations.ndjson");
    await writeFile(
      recording,
      `${line({})}\n${line({ status: 418, body: { error_type: "teapot", message: "short and stout" }, headers: { "content-type": "application/json", "x-teapot": "1" } })}\n`,
    );
    const overlayFile = path.join(dir, "mutations.yaml");
    const first = await cli(["verify", "hubrise", recording, "--overlay", overlayFile]);
    expect(first.code).toBe(1);
    const overlay = (await parseOverlay(await readFile(overlayFile, "utf8"))) as OverlayDocument;
    const applied = await applyOverlay(loadBundle("hubrise"), overlay, overlayFile);
    expect(applied.problems).toEqual([]);
    const doc = applied.doc as Record<string, any>;
    expect(doc.components.schemas.OrderStatus.enum).toContain("on_hold");
    expect(doc.paths["/location/orders/{order_id}"].get.responses["418"].headers).toHaveProperty(
      "X-Teapot",
    );
    const patched = path.join(dir, "mutations-patched.json");
    await writeFile(patched, JSON.stringify(doc));
    const again = await cli(["verify", "hubrise", recording, "--description", patched]);
    expect(again.stdout).toContain("No findings");
    expect(again.code).toBe(0);
  });

  it("the report and the overlay cite the recording, never its data", async () => {
    const overlayFile = path.join(dir, "privacy.yaml");
    const reportFile = path.join(dir, "privacy.md");
    await cli([
      "verify",
      "hubrise",
      WRONG,
      fixture("hubrise-devtools.har"),
      "--overlay",
      overlayFile,
      "--report",
      reportFile,
    ]);
    const report = await readFile(reportFile, "utf8");
    const overlay = await readFile(overlayFile, "utf8");
    for (const text of [report, overlay])
      for (const canary of CANARIES) expect(text).not.toContain(canary);
    expect(report).toContain(
      "`hubrise-one-wrong-order.har` | HAR | WebInspector 537.36 | 6 | 2026-11-28",
    );
    expect(report).toContain("`hubrise-devtools.har`");
    expect(report).toMatch(
      /\| `GET \/location\/orders` \(`listCurrentLocationOrders`\) \| pattern \| `\/\*\/total` \| `pattern` \| 1 \|/,
    );
    expect(report).toContain("privacy.yaml");
    expect(overlay).toContain("allergens");
  });

  it("--json: findings with DriftFinding's fields, counts and the exit code", async () => {
    const { code, stdout } = await cli(["verify", "hubrise", WRONG, "--json"]);
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ vendor: "hubrise", exitCode: 1, exchanges: 6, errors: 1 });
    expect(json.findings[0]).toMatchObject({
      kind: "pattern",
      severity: "error",
      operationId: "listCurrentLocationOrders",
      method: "GET",
      path: "/location/orders",
      status: 200,
      pointer: "/1/total",
      pattern: "/*/total",
      rule: "pattern",
      schemaPath: "#/components/schemas/Money/pattern",
      count: 1,
      files: ["hubrise-one-wrong-order.har"],
    });
  });

  it("exits 0 on clean traffic, 2 on what it cannot run", async () => {
    const none = path.join(dir, "none.yaml");
    const clean = await cli([
      "verify",
      "hubrise",
      fixture("hubrise-devtools.har"),
      "--overlay",
      none,
    ]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("Overlay: nothing to propose");
    await expect(readFile(none)).rejects.toThrow(/ENOENT/);
    expect((await cli(["verify", "hiboutik", fixture("hiboutik-mitmproxy.har")])).code).toBe(0);
    expect((await cli(["verify"])).code).toBe(2);
    expect((await cli(["verify", "hubrise"])).code).toBe(2);
    expect((await cli(["verify", "nobody", WRONG])).code).toBe(2);
    const missing = await cli(["verify", "hubrise", path.join(dir, "missing.har")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing.har");
    const empty = path.join(dir, "empty.ndjson");
    await writeFile(empty, "\n");
    expect((await cli(["verify", "hubrise", empty])).code).toBe(2);
  });
});
