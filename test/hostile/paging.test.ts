// Paging against a server that lies: a fresh cursor or page with the same rows, a total of 10^12,
// a list that never ends, headers built to make a parser backtrack; and 5,000 pages with one
// AbortSignal, which must not pile listeners onto it.
import { describe, expect, it } from "vitest";
import { PaginationError } from "../../src/core/errors.js";
import { errorLog } from "../support/error-log.js";
import { hostileServers, json } from "./server.js";
import {
  ALL_CANARIES,
  type ForgedPage,
  hiboutik,
  type HostileVendor,
  hubrise,
  SO_PAGE_SIZE,
  VENDORS,
} from "./vendors.js";

const errors = errorLog();
const startServer = hostileServers();
/** A server answering the vendor's list with `page(n)` for page n. */
function server(vendor: HostileVendor, page: (n: number) => ForgedPage) {
  return startServer((req, res) => {
    const n = vendor.listPage(req);
    if (n === undefined) return json(res, 404, vendor.errorBody("not a list"));
    vendor.answerList(res, req, page(n));
  });
}

/** The page size each vendor's list asks for in this suite (Hiboutik's is learned from page 1). */
const pageSize = (vendor: HostileVendor) =>
  vendor === hubrise || vendor === hiboutik ? 2 : vendor.name === "Hike" ? 1 : SO_PAGE_SIZE;
const rows = (vendor: HostileVendor, n: number) =>
  Array.from({ length: pageSize(vendor) }, (_, i) => ({ id: (n - 1) * pageSize(vendor) + i + 1 }));

describe.each(VENDORS)("$name: paging never trusts the server", (vendor) => {
  it("a next page (fresh cursor or number) with the same rows ends paging", async () => {
    const api = await server(vendor, () => ({
      items: rows(vendor, 1),
      more: true,
      pageSize: pageSize(vendor),
    }));
    const { items, error } = await errors.drain(vendor.list(vendor.create(api.origin)));
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).reason).toBe("page-not-advancing");
    expect(items).toEqual(rows(vendor, 1));
    expect(api.received).toHaveLength(2);
  });

  it("a list that never ends stops at the page cap", async () => {
    const api = await server(vendor, (n) => ({
      items: rows(vendor, n),
      more: true,
      pageSize: pageSize(vendor),
    }));
    const client = vendor.create(api.origin, { paging: { maxPages: 20 } });
    const { items, error } = await errors.drain(vendor.list(client));
    expect(error).toBeInstanceOf(PaginationError);
    expect(["page-limit", "total-over-cap"]).toContain((error as PaginationError).reason);
    expect(items.length).toBeLessThanOrEqual(20 * pageSize(vendor));
    expect(api.received.length).toBeLessThanOrEqual(21);
  });

  it.runIf(vendor.announcesTotal)(
    "a total of 10^12 rows is refused before a second page is requested",
    async () => {
      const api = await server(vendor, (n) => ({
        items: rows(vendor, n),
        more: true,
        totalRows: 1e12,
        pageSize: pageSize(vendor),
      }));
      const { items, error } = await errors.drain(vendor.list(vendor.create(api.origin)));
      expect(error).toBeInstanceOf(PaginationError);
      expect((error as PaginationError).reason).toBe("total-over-cap");
      expect((error as Error).message).toContain("paging.maxPages");
      expect(items).toEqual([]);
      expect(api.received).toHaveLength(1);
    },
  );

  it("5,000 pages with one AbortSignal: no listener pile-up, no process warning", async () => {
    const total = 5_000;
    const api = await server(vendor, (n) => ({
      items: n <= total ? [{ id: n }] : [],
      more: n < total,
      totalRows: total,
      pageSize: 1,
    }));
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const client = vendor.create(api.origin);
      const list =
        vendor.name === "Subscriptions Only"
          ? client.paginate("/add-ons", { signal: controller.signal }, { pageSize: 1 })
          : vendor.list(client, controller.signal);
      let count = 0;
      for await (const _ of list) count++;
      expect(count).toBe(total);
      // Let any deferred warning be emitted before looking.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  }, 120_000);
});

describe("headers built to make a parser backtrack are read in linear time", () => {
  /** Generous: catches exponential or quadratic parsing (seconds to hours), not a speed claim. */
  const BOUND_MS = 2_000;
  const evil = {
    Link: `<https://x.hiboutik.com/api/customers/?p=2>${"; a ".repeat(3_000)};`,
    "Content-Range": `${"1".repeat(5_000)}-${"2".repeat(5_000)}/x`,
    "X-Cursor-Next": `${"a,".repeat(7_000)}`,
    "Retry-After": `${"Sun, 06 Nov 1994 ".repeat(800)}`,
    "WWW-Authenticate": `Bearer ${'error="x", '.repeat(1_300)}`,
    "X-Rate-Limit-Problem": ` ${"Minute ".repeat(2_000)}`,
  };

  // Each header alone: together they would pass the transport's 16 KB limit for all headers.
  it.each(VENDORS)("$name: each hostile header, on a list page and on a 503", async (vendor) => {
    for (const [name, value] of Object.entries(evil)) {
      let sent = 0;
      const api = await startServer((req, res) => {
        sent++;
        if (sent === 1) return json(res, 503, vendor.errorBody("busy"), { [name]: value });
        if (req.url.startsWith("/oauth/token")) return json(res, 400, { error: "invalid_grant" });
        if (sent === 3) return json(res, 401, vendor.errorBody("who?"), { [name]: value });
        const body =
          vendor.name === "Hike"
            ? { items: [{ id: 1 }], totalCount: 1 }
            : vendor.name === "Subscriptions Only"
              ? { status: "200", message: "OK", body: { data: [{ id: 1 }] } }
              : [{ id: 1 }];
        json(res, 200, body, { [name]: value });
      });
      const client = vendor.create(api.origin, { retry: { baseDelayMs: 1, maxDelayMs: 50 } });
      const started = performance.now();
      await errors.drain(vendor.list(client)); // a 503, then page 1
      await errors.drain(vendor.list(client)); // a 401, with the header as a challenge
      expect(performance.now() - started, name).toBeLessThan(BOUND_MS);
    }
  });
});

describe("paging errors", () => {
  it("hold no credential however they are printed", () => {
    errors.expectFreeOf(ALL_CANARIES, 10);
  });
});
