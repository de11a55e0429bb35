// Sessions against the four sandboxes verify clean: every GET operation of each description,
// its parameters from the description's examples (so some answer 404 or 422: documented errors
// are traffic too), recorded two ways: by each vendor's client through its `record` option into
// commerce-openapi/recording's rotated NDJSON files (what an integrator writes), and by plain fetch as a proxy would see it (URLs only, matched
// through `--server`, the sandbox's base URL). Nothing the description refuses, no undocumented
// field; what the recording set aside (personal fields dropped) is counted, not reported.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleParameters } from "../../scripts/lib/code-samples.js";
import { operationsOf } from "../../scripts/lib/stats.js";
import type { RecordedExchange } from "../../src/core/drift/exchange.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import type { SandboxServer } from "../../src/sandbox/server.js";
import { createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import { ndjsonRecorder } from "../../src/recording/ndjson.js";
import { verifyRecordings } from "../../src/verify/verifier.js";
import { loadBundle } from "../support/bundled.js";
import { brief } from "./support.js";

type Record_ = (exchange: RecordedExchange) => void | Promise<void>;
type Loose = { GET(path: string, init?: unknown): Promise<{ response: Response }> };

interface Session {
  sandbox: SandboxServer;
  /** A client whose every answer goes to `record` (its GET with paths as data). */
  client(record: Record_): Loose;
  /** The headers a plain fetch authenticates with. */
  headers: Record<string, string>;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

const SESSIONS: Record<string, () => Promise<Session>> = {
  hubrise: async () => {
    const sandbox = await startHubriseSandbox({ limits: false });
    return {
      sandbox,
      client: (record) =>
        createHubriseClient(sandbox.credentials, {
          baseUrl: sandbox.url,
          limits: false,
          retry: false,
          record,
        }) as unknown as Loose,
      headers: { "X-Access-Token": sandbox.credentials.accessToken },
    };
  },
  hiboutik: async () => {
    const sandbox = await startHiboutikSandbox({ limits: false });
    const c = sandbox.credentials;
    return {
      sandbox,
      // Personal fields kept: the sandbox's customers are made up.
      client: (record) =>
        createHiboutikClient(c, {
          baseUrl: sandbox.url,
          retry: false,
          record,
          recordPersonal: "keep",
        }) as unknown as Loose,
      headers: { Authorization: basic(c.login, c.apiKey) },
    };
  },
  "subscriptions-only": async () => {
    const sandbox = await startSubscriptionsOnlySandbox({});
    const c = sandbox.credentials;
    return {
      sandbox,
      client: (record) =>
        createSubscriptionsOnlyClient(c, { baseUrl: sandbox.url, retry: false, record })
          .raw as unknown as Loose,
      headers: { Authorization: basic(c.storeId, c.apiKey), "SO-VER": "1.0.0" },
    };
  },
  hike: async () => {
    const sandbox = await startHikeSandbox({ limits: false });
    return {
      sandbox,
      client: (record) =>
        createHikeClient(
          { accessToken: sandbox.credentials.accessToken },
          { baseUrl: sandbox.url, limits: false, retry: false, record },
        ) as unknown as Loose,
      headers: { Authorization: `Bearer ${sandbox.credentials.accessToken}` },
    };
  },
};

/** Every GET of the description, with its example parameters. */
function gets(vendor: string) {
  const doc = loadBundle(vendor);
  return operationsOf(doc)
    .filter((op) => op.method === "get")
    .map((op) => ({
      path: op.path,
      params: exampleParameters(doc, op) as Record<string, Record<string, unknown>>,
    }));
}

function urlOf(base: string, template: string, params: Record<string, Record<string, unknown>>) {
  const pathPart = template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(params.path?.[name] ?? "1")),
  );
  const query = new URLSearchParams(
    Object.entries(params.query ?? {}).map(([k, v]) => [k, String(v)]),
  );
  return `${base}${pathPart}${query.size > 0 ? `?${query}` : ""}`;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "verify-sandbox-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a session recorded against each sandbox verifies clean", () => {
  for (const vendor of Object.keys(SESSIONS))
    it(vendor, async () => {
      const session = await SESSIONS[vendor]!();
      try {
        const operations = gets(vendor);
        // Through the client's `record` option, written by commerce-openapi/recording into
        // files rotated every 64 KiB.
        const recorder = ndjsonRecorder({ dir: path.join(dir, vendor), maxFileBytes: 64 * 1024 });
        let recorded = 0;
        const client = session.client((exchange) => {
          recorded++;
          return recorder.record(exchange);
        });
        for (const op of operations) await client.GET(op.path, { params: op.params });
        await recorder.close();
        // Through fetch, as a proxy records it: the URL, the status, the headers, the body.
        const fetched: string[] = [];
        for (const op of operations) {
          const url = urlOf(session.sandbox.url, op.path, op.params);
          const res = await fetch(url, { headers: session.headers });
          const headers: Record<string, string> = {};
          res.headers.forEach((value, name) => (headers[name] = value));
          const text = await res.text();
          let body: unknown;
          try {
            body = text === "" ? undefined : JSON.parse(text);
          } catch {
            body = text;
          }
          fetched.push(
            JSON.stringify({
              method: "GET",
              url,
              status: res.status,
              headers,
              body,
              timestamp: new Date().toISOString(),
            }),
          );
        }
        const fetchFile = path.join(dir, `${vendor}-fetch.ndjson`);
        await writeFile(fetchFile, `${fetched.join("\n")}\n`);

        expect(recorded).toBe(operations.length);
        // HubRise's session (order pages of 100) takes several files.
        if (vendor === "hubrise") expect(recorder.files().length).toBeGreaterThan(1);
        const viaClient = await verifyRecordings(vendor, recorder.files());
        const viaFetch = await verifyRecordings(vendor, [fetchFile], {
          servers: [session.sandbox.url],
        });
        for (const result of [viaClient, viaFetch]) {
          expect(result.exchanges).toBe(operations.length);
          expect(result.matched).toBe(operations.length);
          expect(result.groups.filter((g) => g.kind !== "evidence").map(brief)).toEqual([]);
        }
        expect(session.sandbox.violations).toEqual([]);
        // HubRise's client drops personal fields by default: the required ones it dropped are the
        // recording's doing, set aside (the same answers fetched whole have none to set aside).
        const setAside = (r: typeof viaClient) =>
          r.files.reduce(
            (n, f) => n + (f.bodies["violations set aside: redacted or personal fields"] ?? 0),
            0,
          );
        if (vendor === "hubrise") expect(setAside(viaClient)).toBeGreaterThan(0);
        expect(setAside(viaFetch)).toBe(0);
      } finally {
        await session.sandbox.close();
      }
    });
});
