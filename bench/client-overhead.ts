// Per-request cost of the HubRise client (scheduler, retry wrapper, typed errors, auth header)
// against plain openapi-fetch and bare fetch. Two settings:
// - loopback: a real HTTP server on 127.0.0.1 in a process of its own (loopback-server.ts), as
//   issue #9 asks; an A/A control (a second, identical openapi-fetch client) shows in the same
//   run how much two equal variants differ;
// - in-process: the runtime's fetch replaced by one that returns a ready Response, which isolates
//   the cost of our layers (a fetch given in the options would take the client's other path, which
//   builds a Request of its own for every send).
// Variants run interleaved in rotating order; ratios are taken within each round (slow drifts of
// the shared machine cancel out) and their median is reported.
import createClient from "openapi-fetch";
import type { paths } from "../generated/hubrise/schema.js";
// The compiled package, as users run it (src/ through tsx pays for tsx's keepNames on every closure).
import { createHubriseClient } from "commerce-openapi/hubrise";
import { startLoopbackServer } from "./loopback-server.js";
import { median, type Row } from "./stats.js";

const BODY = JSON.stringify({
  id: "3r4s3-1",
  name: "Paris",
  account: { id: "3r4s3", name: "Bella Pizza", currency: "EUR" },
});
const HEADERS = { "X-Access-Token": "bench-token", Accept: "application/json" };
// Real scheduling and retry code paths, with allowances large enough never to wait.
const NO_WAIT = { connection: [{ sizeMs: 60_000, limit: 1e9 }] };

export type Variants = Record<string, () => Promise<unknown>>;

export async function interleaved(variants: Variants, rounds: number, perRound: number) {
  const names = Object.keys(variants);
  for (const name of names) for (let i = 0; i < perRound; i++) await variants[name]!(); // warm-up
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await variants[name]!();
      times[name]!.push((performance.now() - t0) / perRound);
    }
  }
  return {
    ratio: (a: string, b: string) => median(times[a]!.map((t, i) => t / times[b]![i]!)),
    /** Median ms per request. */
    median: (name: string) => median(times[name]!),
    us: (name: string) => `${(median(times[name]!) * 1000).toFixed(1)} µs`,
  };
}

export async function clientOverhead(totalRequests = 2000, rounds = 100): Promise<Row[]> {
  const server = await startLoopbackServer(BODY);
  const baseUrl = `${server.origin}/v1`;
  const plain = createClient<paths>({ baseUrl, headers: HEADERS });
  const control = createClient<paths>({ baseUrl, headers: HEADERS });
  const vendor = createHubriseClient({ accessToken: "bench-token" }, { baseUrl, limits: NO_WAIT });
  const loopback = await interleaved(
    {
      fetch: async () => (await fetch(`${baseUrl}/location`, { headers: HEADERS })).json(),
      "openapi-fetch": () => plain.GET("/location"),
      control: () => control.GET("/location"),
      hubrise: () => vendor.GET("/location"),
    },
    rounds,
    Math.ceil(totalRequests / rounds),
  );
  server.close();

  const ready = async () =>
    new Response(BODY, {
      headers: { "Content-Type": "application/json", "Content-Length": String(BODY.length) },
    });
  const realFetch = globalThis.fetch;
  globalThis.fetch = ready;
  let inProcess: Awaited<ReturnType<typeof interleaved>>;
  try {
    const plainInProcess = createClient<paths>({ baseUrl, headers: HEADERS });
    const vendorInProcess = createHubriseClient(
      { accessToken: "bench-token" },
      { baseUrl, limits: NO_WAIT },
    );
    inProcess = await interleaved(
      {
        "openapi-fetch": () => plainInProcess.GET("/location"),
        hubrise: () => vendorInProcess.GET("/location"),
      },
      rounds,
      250,
    );
  } finally {
    globalThis.fetch = realFetch;
  }

  const vendorRatio = loopback.ratio("hubrise", "openapi-fetch");
  const noise = Math.abs(loopback.ratio("control", "openapi-fetch") - 1);
  // Our layers' own cost: the in-process difference, as a share of a real (loopback) request.
  const layersUs = inProcess.median("hubrise") - inProcess.median("openapi-fetch");
  const share = layersUs / loopback.median("openapi-fetch");
  return [
    {
      name: `5. HubRise client vs openapi-fetch, loopback (${totalRequests} req each, ${rounds} paired rounds)`,
      goal: "≤ 1.05×",
      measured: `${vendorRatio.toFixed(3)}× (${loopback.us("hubrise")} vs ${loopback.us("openapi-fetch")}); A/A control differs by ${(noise * 100).toFixed(1)}%`,
      verdict: vendorRatio <= 1.05 ? "pass" : "FAIL",
    },
    {
      name: "5. Cost of our layers alone (in-process fetch), per loopback request",
      goal: "≤ 5% of a request",
      measured: `${(layersUs * 1000).toFixed(1)} µs = ${(share * 100).toFixed(1)}% (${inProcess.us("hubrise")} vs ${inProcess.us("openapi-fetch")} in-process)`,
      verdict: share <= 0.05 ? "pass" : "FAIL",
    },
    {
      name: "5. openapi-fetch vs bare fetch, loopback (same run)",
      goal: "for scale",
      measured: `${loopback.ratio("openapi-fetch", "fetch").toFixed(3)}× (${loopback.us("openapi-fetch")} vs ${loopback.us("fetch")})`,
      verdict: "info",
    },
  ];
}
