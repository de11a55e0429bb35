// The example app (examples/hubrise-orders/app.ts) end to end, as a merchant and HubRise would use
// it: the app runs as its own process against the HubRise sandbox (its OAuth server and API) on
// 127.0.0.1. A merchant installs it (authorize, callback with the code, token exchange), the app
// registers its order callback; another app (the POS) creates and updates an order, and HubRise
// delivers the signed order events that the app prints; a forged callback and a forged OAuth
// callback are refused.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubriseClient, verifyHubriseSignature } from "../../src/hubrise/index.js";
import { type HubriseSandbox, startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { visit } from "../support/oauth-browser.js";

const CLIENT_ID = "459691768564.clients.hubrise.com";
const CLIENT_SECRET = "example-app-client-secret-7d1c";

let hubrise: HubriseSandbox;
let app: ChildProcess;
let appUrl = "";
let dir = "";
const output: string[] = [];

/** Resolves once the app's output has a line matching `pattern` (bounded). */
async function appSays(pattern: RegExp, withinMs = 10_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const line = output.find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() - started > withinMs)
      throw new Error(`the app never said ${pattern}; it said:\n${output.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hubrise-orders-"));
  hubrise = await startHubriseSandbox({
    credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    size: { orders: 50 },
    validate: true,
  });
  app = spawn(
    process.execPath,
    ["--import", "tsx", path.join(repoRoot, "examples", "hubrise-orders", "app.ts")],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        HUBRISE_CLIENT_ID: CLIENT_ID,
        HUBRISE_CLIENT_SECRET: CLIENT_SECRET,
        HUBRISE_OAUTH_URL: hubrise.oauthUrl,
        HUBRISE_API_URL: hubrise.url,
        PORT: "0",
        TOKENS_FILE: path.join(dir, "connection.json"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  for (const stream of [app.stdout!, app.stderr!])
    stream.on("data", (chunk: Buffer) => output.push(...chunk.toString().trim().split("\n")));
  appUrl = /listening on (\S+),/.exec(await appSays(/^listening on /, 30_000))![1]!;
}, 60_000);

afterAll(async () => {
  app?.kill("SIGTERM");
  // Every answer of the sandbox fitted the description.
  expect(hubrise?.violations).toEqual([]);
  await hubrise?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("examples/hubrise-orders", () => {
  it("refuses an OAuth callback whose state is not the one it set, without exchanging the code", async () => {
    const before = hubrise.oauth.stats.token;
    const response = await fetch(`${appUrl}/oauth/callback?code=stolen&state=guessed`, {
      headers: { Cookie: "state=the-real-one" },
    });
    expect(response.status).toBe(400);
    expect(hubrise.oauth.stats.token).toBe(before);
  });

  it("installs through OAuth, registers its order callback, and prints a verified order event", async () => {
    // The merchant opens /install: the app sends them to HubRise's authorize page with a state.
    const install = await fetch(`${appUrl}/install`, { redirect: "manual" });
    expect(install.status).toBe(302);
    const state = /state=([\w-]+)/.exec(install.headers.get("set-cookie") ?? "")![1]!;
    // They approve; HubRise sends them back to the app with a code.
    const callback = await visit(install.headers.get("location")!);
    expect(callback.startsWith(`${appUrl}/oauth/callback?`)).toBe(true);
    const installed = await fetch(callback, { headers: { Cookie: `state=${state}` } });
    expect(installed.status, await installed.clone().text()).toBe(200);

    const saved = JSON.parse(await readFile(path.join(dir, "connection.json"), "utf8")) as {
      accessToken: string;
    };
    expect(hubrise.oauth.issued).toContain(saved.accessToken);
    expect(hubrise.callback(saved.accessToken)).toEqual({
      url: `${appUrl}/hubrise/callback`,
      events: { order: ["create", "update"] },
    });

    // Another app on the location (the POS) takes an order, then accepts it: HubRise sends the
    // app both events, signed with the client secret.
    const pos = createHubriseClient(
      { accessToken: hubrise.credentials.otherAccessToken },
      { baseUrl: hubrise.url, limits: false, throwOnError: true },
    );
    const { data: order } = await pos.POST("/location/orders", {
      body: {
        status: "new",
        items: [{ product_name: "Margherita", price: "9.50 EUR", quantity: "2" }],
      },
    });
    expect(await appSays(new RegExp(`^order ${order.id} created at 3r4s3-1: new`))).toBeTruthy();
    await pos.PATCH("/location/orders/{order_id}", {
      params: { path: { order_id: order.id } },
      body: { status: "accepted" },
    });
    expect(await appSays(new RegExp(`^order ${order.id} updated: accepted`))).toBeTruthy();
    await hubrise.settled();
    const [created, updated] = hubrise.deliveries.slice(-2);
    expect([created?.status, updated?.status]).toEqual([200, 200]);
    const signature = created!.headers["X-HubRise-Hmac-SHA256"];
    expect(await verifyHubriseSignature(created!.body, signature, CLIENT_SECRET)).toBe(true);
    expect(JSON.parse(created!.body)).toMatchObject({
      resource_type: "order",
      event_type: "create",
      order_id: order.id,
      location_id: "3r4s3-1",
      new_state: { id: order.id, status: "new", total: "19.00 EUR" },
    });
    // Acknowledged (200): no event waits for the app any more.
    const app = createHubriseClient(
      { accessToken: saved.accessToken },
      { baseUrl: hubrise.url, limits: false, throwOnError: true },
    );
    expect((await app.GET("/callback/events")).data).toEqual([]);

    // An event HubRise sends again (same body, same signature) is printed again, as sent.
    const again = await hubrise.deliver(JSON.parse(created!.body) as Record<string, unknown>, {
      accessToken: saved.accessToken,
    });
    expect(again.status).toBe(200);
  });

  it("refuses a forged callback (a signature made with another secret) and prints nothing", async () => {
    const body = JSON.stringify({
      id: "evt02",
      resource_type: "order",
      event_type: "create",
      created_at: "2026-11-30T12:00:00+01:00",
      order_id: "forged",
      location_id: "3r4s3-1",
      new_state: hubrise.state.orders.get(hubrise.state.ids.orders.at(7)),
    });
    const response = await fetch(`${appUrl}/hubrise/callback`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-HubRise-Hmac-SHA256": "ab".repeat(32) },
      body,
    });
    expect(response.status).toBe(401);
    await appSays(/^refused a callback/);
    expect(output.some((l) => l.includes("forged") && l.startsWith("order "))).toBe(false);
    expect(output.join("\n")).not.toContain(CLIENT_SECRET);
  });
});
