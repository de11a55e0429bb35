// The handlers behind a real node:http server, through the two-line adapter the README gives
// (Readable.toWeb into a Request, the Response written back): every webhook of both descriptions,
// and each documented refusal, over real sockets, with keep-alive connections that outlive them.
import { createServer, request as httpRequest, Agent, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hiboutikWebhookHandler } from "../../src/hiboutik/index.js";
import { hubriseWebhookHandler } from "../../src/hubrise/index.js";
import { describedWebhooks, formText, phpForm } from "./support/description.js";
import { CLIENT_SECRET, sign } from "./support/hubrise.js";

const received: [string, unknown][] = [];

const hubrise = hubriseWebhookHandler({
  clientSecret: CLIENT_SECRET,
  maxBytes: 64 * 1024,
  on: Object.fromEntries(
    describedWebhooks("hubrise").webhooks.map(({ name }) => [
      name,
      (event: unknown) => {
        if ((event as { id?: string }).id === "throw") throw new Error("callback failed");
        received.push([name, event]);
      },
    ]),
  ),
  onUnknown: (event) => void received.push(["unknown", event]),
});
const hiboutik = hiboutikWebhookHandler({
  maxBytes: 64 * 1024,
  on: Object.fromEntries(
    describedWebhooks("hiboutik").webhooks.map(({ name }) => [
      name,
      (payload: unknown) => void received.push([name, payload]),
    ]),
  ),
});
const handle = (request: Request) =>
  new URL(request.url).pathname.startsWith("/hubrise") ? hubrise(request) : hiboutik(request);

let server: Server;
let base: string;

beforeAll(async () => {
  // The README's adapter, as it is.
  server = createServer(async (req, res) => {
    const post = req.method === "POST"; // anything else is answered 405, its body unread
    const response = await handle(
      new Request(`http://localhost${req.url?.startsWith("/") ? req.url : "/"}`, {
        method: post ? "POST" : "GET",
        headers: req.headers as Record<string, string>,
        body: post ? Readable.toWeb(req) : null,
        duplex: "half",
      } as RequestInit),
    );
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.writeHead(response.status).end(new Uint8Array(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** One request over node:http, optionally chunked (no Content-Length) and on a keep-alive agent. */
function send(
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    chunked?: boolean;
    agent?: Agent;
  } = {},
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: new URL(base).port,
        path,
        method: init.method ?? "POST",
        agent: init.agent,
        headers: {
          ...init.headers,
          ...(body && !init.chunked ? { "content-length": String(body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            text: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body && init.chunked) {
      // In pieces, without Content-Length: the handler counts as it reads.
      for (let at = 0; at < body.length; at += 4096) req.write(body.subarray(at, at + 4096));
    } else if (body) req.write(body);
    req.end();
  });
}

const hubriseEvents = describedWebhooks("hubrise").webhooks.map((w) => {
  const [resource_type, event_type] = w.name.split(".");
  const event: Record<string, unknown> = { ...w.payload, resource_type, event_type };
  return { name: w.name, event, body: JSON.stringify(event) };
});
const signed = (body: string) => ({
  "content-type": "application/json",
  "x-hubrise-hmac-sha256": sign(body),
});

describe("HubRise callbacks through node:http", () => {
  it.each(hubriseEvents)("$name: 200, delivered to its callback", async ({ name, event, body }) => {
    received.length = 0;
    const response = await send("/hubrise/callback", { headers: signed(body), body });
    expect(response.status).toBe(200);
    expect(received).toEqual([[name, event]]);
  });

  it("answers 401, 400, 413, 405, 500 and passes unknown events through, as documented", async () => {
    const { body } = hubriseEvents[0]!;
    const big = JSON.stringify({ resource_type: "x", event_type: "y", pad: "x".repeat(100_000) });
    const unknown = JSON.stringify({ id: "u", resource_type: "table", event_type: "create" });
    const throwing = JSON.stringify({ ...hubriseEvents[0]!.event, id: "throw" });
    const cases: [Parameters<typeof send>[1], number, string][] = [
      [{ body }, 401, "webhook refused: missing-signature"],
      [
        { body, headers: { "x-hubrise-hmac-sha256": sign(`${body}x`) } },
        401,
        "webhook refused: bad-signature",
      ],
      [{ body: "nope", headers: signed("nope") }, 400, "webhook refused: malformed-body"],
      [{ body: big, headers: signed(big) }, 413, "webhook refused: too-large"],
      [{ body: big, headers: signed(big), chunked: true }, 413, "webhook refused: too-large"],
      [{ method: "GET" }, 405, "method not allowed: webhooks are POSTed"],
      [{ method: "PUT", body }, 405, "method not allowed: webhooks are POSTed"],
      [{ body: throwing, headers: signed(throwing) }, 500, "the webhook callback failed"],
      [{ body: unknown, headers: signed(unknown) }, 200, ""],
    ];
    for (const [init, status, text] of cases) {
      const response = await send("/hubrise/callback", init);
      expect([response.status, response.text], text).toEqual([status, text]);
    }
  });

  it("keeps a keep-alive connection usable after refusing bodies it did not read", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { body } = hubriseEvents[0]!;
      const big = JSON.stringify({ pad: "x".repeat(100_000) });
      const statuses: number[] = [];
      for (const init of [
        { body: big },
        { body: big, headers: signed(big) },
        { body, headers: signed(body) },
        { body: big, headers: signed(big), chunked: true },
        { body, headers: signed(body) },
      ]) {
        statuses.push((await send("/hubrise/callback", { ...init, agent })).status);
      }
      expect(statuses).toEqual([401, 413, 200, 413, 200]);
    } finally {
      agent.destroy();
    }
  });
});

describe("Hiboutik webhooks through node:http", () => {
  const hiboutikWebhooks = describedWebhooks("hiboutik").webhooks.map((w) => {
    const payload = w.fromExample ? w.payload : { ...w.payload, misc: { a: ["1", "2"] } };
    return { name: w.name, payload, body: phpForm(payload) };
  });
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it.each(hiboutikWebhooks)(
    "$name: 200, decoded and delivered",
    async ({ name, payload, body }) => {
      received.length = 0;
      const response = await send(`/hiboutik/${name}`, { headers: form, body });
      expect(response.status).toBe(200);
      expect(received).toEqual([[name, formText(payload)]]);
    },
  );

  it("answers 404, 400, 413 and 405 as documented", async () => {
    const cases: [string, Parameters<typeof send>[1], number][] = [
      ["/hiboutik/invoice", { headers: form, body: "a=1" }, 404],
      ["/hiboutik/sale", { headers: form, body: "total=1.00" }, 400],
      ["/hiboutik/sale", { headers: { "content-type": "application/json" }, body: "{}" }, 400],
      ["/hiboutik/sale", { headers: form, body: `x=${"a".repeat(100_000)}` }, 413],
      ["/hiboutik/sale", { headers: form, body: `x=${"a".repeat(100_000)}`, chunked: true }, 413],
      ["/hiboutik/sale", { method: "GET" }, 405],
      // Request targets and methods a Request cannot take are answered too, never thrown.
      ["*", { method: "OPTIONS" }, 405],
      ["http://[::1/sale", { headers: form, body: "sale_id=1" }, 404],
      ["/hiboutik/sale", { method: "TRACE" }, 405],
    ];
    for (const [path, init, status] of cases) {
      expect((await send(path, init)).status, path).toBe(status);
    }
  });
});
