// The example app (examples/hubrise-orders/app.ts) end to end, as a merchant and HubRise would use
// it: the app runs as its own process against stand-ins of HubRise's OAuth server and API on
// 127.0.0.1. A merchant installs it (authorize, callback with the code, token exchange), the app
// registers its order callback, HubRise delivers a signed order event that the app prints; a
// forged callback and a forged OAuth callback are refused.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { repoRoot } from "../../scripts/lib/vendors.js";
import { makeOrder, startHubriseSimulator, type HubriseSimulator } from "../hubrise/simulator.js";
import { type OAuthSimulator, startOAuthSimulator, visit } from "../oauth/simulator.js";

const CLIENT_ID = "459691768564.clients.hubrise.com";
const CLIENT_SECRET = "example-app-client-secret-7d1c";

let oauth: OAuthSimulator;
let api: HubriseSimulator;
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
  oauth = await startOAuthSimulator({
    vendor: "hubrise",
    clock: systemClock,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  api = await startHubriseSimulator({
    clock: systemClock,
    accessToken: "not-the-installed-token",
    acceptsToken: (token) => oauth.issued.includes(token),
    clientSecret: CLIENT_SECRET,
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
        HUBRISE_OAUTH_URL: oauth.oauthUrl,
        HUBRISE_API_URL: api.baseUrl,
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
  await Promise.all([oauth?.close(), api?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("examples/hubrise-orders", () => {
  it("refuses an OAuth callback whose state is not the one it set, without exchanging the code", async () => {
    const before = oauth.stats.token;
    const response = await fetch(`${appUrl}/oauth/callback?code=stolen&state=guessed`, {
      headers: { Cookie: "state=the-real-one" },
    });
    expect(response.status).toBe(400);
    expect(oauth.stats.token).toBe(before);
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
    expect(oauth.issued).toContain(saved.accessToken);
    expect(api.callback).toEqual({
      url: `${appUrl}/hubrise/callback`,
      events: { order: ["create", "update"] },
    });

    // HubRise delivers an order event, signed with the client secret.
    const order = makeOrder(42) as { id: string; status: string };
    const status = await api.deliver({
      id: "evt01",
      resource_type: "order",
      event_type: "create",
      created_at: "2026-11-30T12:00:00+01:00",
      order_id: order.id,
      location_id: "3r4s3-1",
      new_state: order,
    });
    expect(status).toBe(200);
    expect(await appSays(new RegExp(`^order ${order.id} created`))).toContain(order.status);
  });

  it("refuses a forged callback (a signature made with another secret) and prints nothing", async () => {
    const body = JSON.stringify({
      id: "evt02",
      resource_type: "order",
      event_type: "create",
      created_at: "2026-11-30T12:00:00+01:00",
      order_id: "forged",
      location_id: "3r4s3-1",
      new_state: makeOrder(7),
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
