// What `validateResponses: "warn"` costs per request (issue 18): loopback GETs of a HubRise order
// list (a page of 100 orders as the sandbox seeds them, served as fixed bytes by a plain server,
// so that only the clients differ), a validating client against one with validation off, and an
// A/A control (a second client with it off) for the noise. Interleaved rounds, ratio per round,
// median (client-overhead.ts). The validators load before the measurement (the warm-up), as they
// do once per operation in a running app. For scale, the validation alone: the same clients over
// an in-process fetch that hands back the page at once.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
// The compiled package, as users run it (and its validators from generated/, as shipped).
import { createHubriseClient, type DriftFinding } from "commerce-openapi/hubrise";
import { startHubriseSandbox } from "commerce-openapi/hubrise/sandbox";
import { interleaved } from "./client-overhead.js";
import type { Row } from "./stats.js";

const GOAL = 1.1;
// Real scheduling code paths, with allowances that never wait (an order list is a heavy query).
const NO_WAIT = {
  connection: [{ sizeMs: 60_000, limit: 1e9 }],
  heavy: [{ sizeMs: 60_000, limit: 1e9 }],
};

/** A page of `count` orders as the HubRise sandbox answers it, and its X-Cursor-Next. */
async function orderPage(count: number): Promise<{ body: string; cursor: string }> {
  const sandbox = await startHubriseSandbox({ limits: false });
  try {
    const answer = await fetch(`${sandbox.url}/location/orders?count=${count}`, {
      headers: { "X-Access-Token": sandbox.credentials.accessToken },
    });
    return { body: await answer.text(), cursor: answer.headers.get("X-Cursor-Next") ?? "" };
  } finally {
    await sandbox.close();
  }
}

export async function validationOverhead(rounds = 40, perRound = 10): Promise<Row[]> {
  const page = await orderPage(100);
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(page.body)),
    "X-Cursor-Next": page.cursor,
  };
  const server = createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const findings: DriftFinding[] = [];
  const clientWith = (validateResponses: "off" | "warn") =>
    createHubriseClient(
      { accessToken: "bench-token" },
      { baseUrl, limits: NO_WAIT, validateResponses, onDrift: (f) => findings.push(f) },
    );
  const [off, control, warn] = [clientWith("off"), clientWith("off"), clientWith("warn")];
  const loopback = await interleaved(
    {
      off: () => off.GET("/location/orders"),
      control: () => control.GET("/location/orders"),
      warn: () => warn.GET("/location/orders"),
    },
    rounds,
    perRound,
  );
  server.closeAllConnections();
  server.close();

  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(page.body, { headers });
  let inProcess: Awaited<ReturnType<typeof interleaved>>;
  try {
    const [offHere, warnHere] = [clientWith("off"), clientWith("warn")];
    inProcess = await interleaved(
      { off: () => offHere.GET("/location/orders"), warn: () => warnHere.GET("/location/orders") },
      rounds,
      perRound * 5,
    );
  } finally {
    globalThis.fetch = realFetch;
  }
  if (findings.length > 0) throw new Error(`the page drifted: ${JSON.stringify(findings[0])}`);

  const ratio = loopback.ratio("warn", "off");
  const noise = Math.abs(loopback.ratio("control", "off") - 1);
  const validationUs = (inProcess.median("warn") - inProcess.median("off")) * 1000;
  const kb = (Buffer.byteLength(page.body) / 1024).toFixed(0);
  return [
    {
      name: `validateResponses "warn" vs "off", loopback GET of 100 HubRise orders (${kb} KB; ${rounds * perRound} req each, ${rounds} paired rounds)`,
      goal: `≤ ${GOAL.toFixed(2)}×`,
      measured: `${ratio.toFixed(3)}× (${loopback.us("warn")} vs ${loopback.us("off")}); A/A control differs by ${(noise * 100).toFixed(1)}%`,
      verdict: ratio <= GOAL ? "pass" : "FAIL",
    },
    {
      name: "validateResponses: the validation alone (in-process fetch), per page of 100 orders",
      goal: "for scale",
      measured: `${validationUs.toFixed(0)} µs (${inProcess.us("warn")} vs ${inProcess.us("off")} in-process)`,
      verdict: "info",
    },
  ];
}
