// `commerce-openapi/recording`: NDJSON files rotated by size, lines in order and whole, the oldest
// files deleted past `maxFiles`; and a client's recording read back as exchanges.
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EXCHANGE_FORMAT,
  isRecordedExchange,
  ndjsonRecorder,
  type RecordedExchange,
} from "../../src/recording/ndjson.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ndjson-recorder-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exchange = (n: number, body: unknown = { n }): RecordedExchange => ({
  format: EXCHANGE_FORMAT,
  vendor: "hubrise",
  timestamp: "2026-01-12T09:00:00.000Z",
  durationMs: 1,
  method: "GET",
  path: "/location",
  operationId: "getCurrentLocation",
  origin: "https://api.hubrise.com",
  urlPath: "/v1/location",
  status: 200,
  headers: {},
  body,
  personal: "drop",
});
const lineBytes = (e: RecordedExchange) => Buffer.byteLength(`${JSON.stringify(e)}\n`);

async function linesOf(files: readonly string[]): Promise<RecordedExchange[]> {
  const out: RecordedExchange[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    for (const line of text.slice(0, -1).split("\n")) out.push(JSON.parse(line));
  }
  return out;
}

describe("ndjsonRecorder", () => {
  it("starts a new file before one would pass maxFileBytes; every line whole and in order", async () => {
    const line = lineBytes(exchange(0));
    const recorder = ndjsonRecorder({ dir, prefix: "t", maxFileBytes: line * 3 });
    const sent = Array.from({ length: 10 }, (_, n) => exchange(n));
    // Not awaited one by one: the recorder keeps them in order.
    await Promise.all(sent.map((e) => recorder.record(e)));
    await recorder.close();
    const files = recorder.files();
    expect(files).toHaveLength(4); // 3 + 3 + 3 + 1
    for (const file of files) expect((await stat(file)).size).toBeLessThanOrEqual(line * 3);
    expect(await linesOf(files)).toEqual(sent);
    expect((await readdir(dir)).sort()).toEqual(files.map((f) => path.basename(f)).sort());
    expect(files.every((f) => /^t-.+-\d{4}\.ndjson$/.test(path.basename(f)))).toBe(true);
  });

  it("gives a line longer than maxFileBytes a file of its own", async () => {
    const recorder = ndjsonRecorder({ dir, maxFileBytes: 300 });
    const big = exchange(1, { text: "x".repeat(1000) });
    await recorder.record(exchange(0));
    await recorder.record(big);
    await recorder.record(exchange(2));
    await recorder.close();
    const files = recorder.files();
    expect(files).toHaveLength(3);
    expect(await linesOf([files[1]!])).toEqual([big]);
  });

  it("deletes its oldest files past maxFiles", async () => {
    const recorder = ndjsonRecorder({ dir, maxFileBytes: lineBytes(exchange(0)), maxFiles: 2 });
    for (let n = 0; n < 5; n++) await recorder.record(exchange(n));
    await recorder.close();
    expect(recorder.files()).toHaveLength(2);
    expect(await readdir(dir)).toHaveLength(2);
    expect(await linesOf(recorder.files())).toEqual([exchange(3), exchange(4)]);
  });

  it("never writes into another recorder's file, and refuses exchanges once closed", async () => {
    const a = ndjsonRecorder({ dir });
    const b = ndjsonRecorder({ dir });
    await Promise.all([a.record(exchange(1)), b.record(exchange(2))]);
    await Promise.all([a.close(), b.close()]);
    expect(new Set([...a.files(), ...b.files()]).size).toBe(2);
    await expect(a.record(exchange(3))).rejects.toThrow(/closed/);
  });

  it("refuses sizes that are not whole numbers", () => {
    expect(() => ndjsonRecorder({ dir, maxFileBytes: 0 })).toThrow(RangeError);
    expect(() => ndjsonRecorder({ dir, maxFiles: 0.5 })).toThrow(RangeError);
  });

  it("records a client's session as exchanges, read back line by line", async () => {
    const sb = await startHubriseSandbox({ limits: false });
    const recorder = ndjsonRecorder({ dir: path.join(dir, "nested") });
    try {
      const client = createHubriseClient(sb.credentials, {
        baseUrl: sb.url,
        limits: false,
        record: recorder.record,
      });
      await client.GET("/location");
      await client.GET("/location/orders");
      await client.GET("/account");
    } finally {
      await recorder.close();
      await sb.close();
    }
    const lines = await linesOf(recorder.files());
    expect(lines.every(isRecordedExchange)).toBe(true);
    expect(lines.map((e) => [e.operationId, e.status])).toEqual([
      ["getCurrentLocation", 200],
      ["listCurrentLocationOrders", 200],
      ["getCurrentAccount", 200],
    ]);
    expect(JSON.stringify(lines)).not.toContain(sb.credentials.accessToken);
  });
});
