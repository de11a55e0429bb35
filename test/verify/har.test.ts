// HAR files from two producers, written to the HAR 1.2 format by hand (test/verify/fixtures):
// Chrome devtools (a browser back office calling HubRise: base64 bodies, a CORS preflight, another
// site's font, a blocked request, an image, a body devtools did not keep) and mitmproxy (an app
// calling Hiboutik: content.size/compression/bodySize, a body left gzipped as base64, a brotli
// one, a 404). Each is read to the right exchanges and bodies, once, in any chunking.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDescription } from "../../src/sandbox/description.js";
import { HarScanner } from "../../src/verify/har-scanner.js";
import { LineSplitter } from "../../src/verify/line-splitter.js";
import type { Observed } from "../../src/verify/observed.js";
import { readRecording } from "../../src/verify/recording-file.js";
import { verifyRecordings } from "../../src/verify/verifier.js";
import { brief, fixture } from "./support.js";

async function read(name: string) {
  const exchanges: Observed[] = [];
  const stats = await readRecording(fixture(name), 0, (e) => exchanges.push(e));
  return { exchanges, stats };
}

const hubrise = loadDescription("hubrise").doc;
const hiboutik = loadDescription("hiboutik").doc;

describe("a Chrome devtools HAR (base64 bodies)", () => {
  it("reads each entry: methods, URLs, statuses, lower-case headers, decoded bodies", async () => {
    const { exchanges, stats } = await read("hubrise-devtools.har");
    expect(stats).toMatchObject({ format: "har", producer: "WebInspector 537.36", exchanges: 6 });
    expect(stats.skipped).toEqual({ "entry without a response (status 0: failed or blocked)": 1 });
    expect(exchanges.map((e) => `${e.method} ${e.url} ${e.status} ${e.bodyState}`)).toEqual([
      "OPTIONS https://api.hubrise.com/v1/location/orders?count=2 204 empty",
      "GET https://api.hubrise.com/v1/location/orders?count=2 200 json",
      "GET https://api.hubrise.com/v1/location 200 json",
      "GET https://api.hubrise.com/v1/catalogs/87yu4/images/l1jcp/data 200 not-json",
      "GET https://fonts.gstatic.com/s/inter/v13/UcCO3FwrK3iLTeHuS_fvQtMwCp50KnMw2boKoduKmMEVuLyfAZ9hiA.woff2 200 not-recorded",
      "GET https://api.hubrise.com/v1/location/orders/5dpm9 200 not-recorded",
    ]);
    const list = exchanges[1]!;
    expect(list.body).toEqual([
      hubrise.components.examples.Order.value,
      expect.objectContaining({ id: "k2m8x" }),
    ]);
    expect(list.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      "x-cursor-next": "aekvy",
    });
    expect(Object.keys(list.headers).some((h) => h.startsWith(":"))).toBe(false);
    expect(list.mediaType).toBe("application/json");
    expect(exchanges[2]!.body).toEqual(hubrise.components.examples.Location.value);
    expect(list.timestamp).toBe(Date.parse("2026-11-28T09:15:01.600Z"));
  });

  it("verifies clean: the preflight and the font skipped, the image's type documented", async () => {
    const result = await verifyRecordings("hubrise", [fixture("hubrise-devtools.har")]);
    expect(result.groups.map(brief)).toEqual([]);
    expect(result.exchangesByOperation).toEqual({
      listCurrentLocationOrders: 1,
      getCurrentLocation: 1,
      getCatalogImageData: 1,
      getCurrentLocationOrder: 1,
    });
    expect(result.files[0]!.skipped).toMatchObject({
      "CORS preflight (OPTIONS)": 1,
      "another host": 1,
    });
    expect(result.files[0]!.bodies).toEqual({ "not-recorded": 1 });
  });
});

describe("a mitmproxy HAR (sizes and compression fields, compressed bodies)", () => {
  it("reads text bodies, a gzipped and a brotli body left as base64, and the 404's", async () => {
    const { exchanges, stats } = await read("hiboutik-mitmproxy.har");
    expect(stats).toMatchObject({
      format: "har",
      producer: "mitmproxy 10.1.6",
      exchanges: 4,
      skipped: {},
    });
    expect(exchanges.map((e) => `${e.status} ${e.bodyState}`)).toEqual([
      "200 json",
      "200 json",
      "200 json",
      "404 json",
    ]);
    const example = (path: string) => {
      const m = hiboutik.paths[path].get.responses["200"].content["application/json"];
      const ex = m.example ?? Object.values<any>(m.examples)[0];
      return ex.$ref ? loadDescription("hiboutik").resolve(ex, "").node.value : ex.value;
    };
    expect(exchanges[0]!.body).toEqual(example("/products/"));
    expect(exchanges[1]!.body).toEqual(example("/products/{product_id}"));
    expect(exchanges[2]!.body).toEqual(example("/stores"));
    expect(stats.first).toBe(Date.parse("2026-11-29T14:02:11.312Z"));
    expect(new Date(stats.last!).toISOString()).toBe("2026-11-30T08:45:00.000Z");
  });

  it("verifies against the {account} server: only the undocumented header informs", async () => {
    const result = await verifyRecordings("hiboutik", [fixture("hiboutik-mitmproxy.har")]);
    expect(result.groups.map(brief)).toEqual([
      "info undocumented-header listProducts header x-hiboutik-node @#/paths/~1products~1/get/responses/200/headers (1×)",
    ]);
    expect(result.errors).toBe(0);
  });
});

describe("the streaming HAR reader", () => {
  const entriesOf = (bytes: Buffer, cut: (i: number) => number, max = 2 ** 20) => {
    const entries: unknown[] = [];
    const meta: Record<string, unknown> = {};
    const scanner = new HarScanner(
      {
        entry: (text) => entries.push(text === undefined ? "(over)" : JSON.parse(text)),
        meta: (k, t) => (meta[k] = JSON.parse(t)),
      },
      max,
    );
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const next = Math.min(bytes.length, at + cut(i));
      scanner.push(bytes.subarray(at, next));
      at = next;
    }
    scanner.end();
    return { entries, meta, complete: scanner.complete };
  };

  for (const name of ["hubrise-devtools.har", "hiboutik-mitmproxy.har"])
    it(`${name}: the same entries whatever the chunks (1 byte, primes, random)`, () => {
      const bytes = readFileSync(fixture(name));
      const expected = JSON.parse(bytes.toString("utf8")).log;
      let seed = 7;
      const random = () => ((seed = (seed * 48_271) % 2_147_483_647) % 97) + 1;
      for (const cut of [() => 1, () => 13, () => 4096, random]) {
        const { entries, meta, complete } = entriesOf(bytes, cut);
        expect(entries).toEqual(expected.entries);
        expect(meta.creator).toEqual(expected.creator);
        expect(meta.version).toBe("1.2");
        expect(complete).toBe(true);
      }
    });

  it("skips an entry over the bound and reads the others; a cut-short file is incomplete", () => {
    const bytes = readFileSync(fixture("hiboutik-mitmproxy.har"));
    const sizes = JSON.parse(bytes.toString("utf8")).log.entries.map(
      (e: unknown) => JSON.stringify(e, null, 2).length,
    );
    const bound = Math.max(...sizes.filter((s: number) => s < Math.max(...sizes))) + 2_000;
    const { entries } = entriesOf(bytes, () => 100, bound);
    expect(entries.filter((e) => e === "(over)")).toHaveLength(
      sizes.filter((s: number) => s > bound).length,
    );
    expect(entries).toHaveLength(4);
    expect(entriesOf(bytes.subarray(0, bytes.length - 10), () => 512).complete).toBe(false);
  });

  it("NDJSON lines: split across chunks, CRLF, a line over the bound skipped", () => {
    const lines: string[] = [];
    const long: number[] = [];
    const splitter = new LineSplitter(
      { line: (t) => lines.push(t), tooLong: (n) => long.push(n) },
      10,
    );
    for (const chunk of ["ab", "c\r\nde", "f\n012345678901234", "5678\nxyz"])
      splitter.push(Buffer.from(chunk));
    splitter.end();
    expect(lines).toEqual(["abc\r", "def", "xyz"]);
    expect(long).toEqual([3]);
  });
});
