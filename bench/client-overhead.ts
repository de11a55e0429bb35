// Per-request cost of the HubRise client (scheduler, retry wrapper, typed errors, auth header)
// against plain openapi-fetch and bare fetch, on a loopback server. Variants run interleaved in
// rounds and the median per-request time of each is compared, so machine noise hits all alike.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import type { paths } from "../generated/hubrise/schema.js";
import { createHubriseClient } from "../src/hubrise/index.js";
import { median, type Row } from "./stats.js";

const BODY = JSON.stringify({
  id: "3r4s3-1",
  name: "Paris",
  account: { id: "3r4s3", name: "Bella Pizza", currency: "EUR" },
});

export async function clientOverhead(totalRequests = 2000, rounds = 40): Promise<Row[]> {
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(BODY),
    });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const headers = { "X-Access-Token": "bench-token", Accept: "application/json" };

  const plain = createClient<paths>({ baseUrl, headers });
  // Real scheduling and retry code paths, with allowances large enough not to wait.
  const vendor = createHubriseClient({
    accessToken: "bench-token",
    baseUrl,
    limits: { connection: [{ sizeMs: 60_000, limit: 1e9 }] },
  });
  const variants: [string, () => Promise<unknown>][] = [
    ["fetch", async () => (await fetch(`${baseUrl}/location`, { headers })).json()],
    ["openapi-fetch", () => plain.GET("/location")],
    ["hubrise", () => vendor.GET("/location")],
  ];
  const perRound = Math.ceil(totalRequests / rounds);
  for (const [, fn] of variants) for (let i = 0; i < 100; i++) await fn(); // warm-up
  // Each round times every variant once, in rotating order; ratios are taken within a round, so
  // slow drifts of the shared machine cancel out, and the median of the ratios is reported.
  const times: Record<string, number[]> = { fetch: [], "openapi-fetch": [], hubrise: [] };
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const [name, fn] = variants[(round + k) % variants.length]!;
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await fn();
      times[name]!.push((performance.now() - t0) / perRound);
    }
  }
  server.closeAllConnections();
  server.close();
  const ratio = (a: string, b: string) => median(times[a]!.map((t, i) => t / times[b]![i]!));
  const us = (name: string) => `${(median(times[name]!) * 1000).toFixed(0)} µs`;
  const vendorRatio = ratio("hubrise", "openapi-fetch");
  const plainRatio = ratio("openapi-fetch", "fetch");
  return [
    {
      name: `HubRise client vs openapi-fetch (${rounds * perRound} req each, median of ${rounds} paired rounds)`,
      goal: "≤ 1.05×",
      measured: `${vendorRatio.toFixed(3)}× (${us("hubrise")} vs ${us("openapi-fetch")})`,
      verdict: vendorRatio <= 1.05 ? "pass" : "FAIL",
    },
    {
      name: "openapi-fetch vs bare fetch (same run)",
      goal: "for scale",
      measured: `${plainRatio.toFixed(3)}× (${us("openapi-fetch")} vs ${us("fetch")})`,
      verdict: "info",
    },
  ];
}
