// Random sequences of writes and lists against the Hike sandbox, through the real client: every
// list (paged by the client's paging, at random page sizes, with and without `Filter`) reflects
// the writes before it, every product and sale once, in order, with its last values; and every
// answer fits the description (`validate: true`, no violation logged).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect, createHikeClient } from "../../src/hike/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";

const WORDS = ["Red", "mug", "Tee", "cap", "Blue", "bag"] as const;

type Step =
  | { kind: "create"; word: string; n: number }
  | { kind: "update"; pick: number; word: string; n: number }
  | { kind: "delete"; pick: number }
  | { kind: "list"; pageSize: number; filter: string | undefined }
  | { kind: "sale"; cents: number }
  | { kind: "void"; pick: number }
  | { kind: "sales"; pageSize: number };

const word = fc.constantFrom(...WORDS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), word, n: fc.nat(99) }),
  fc.record({ kind: fc.constant("update" as const), pick: fc.nat(), word, n: fc.nat(99) }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("list" as const),
    pageSize: fc.integer({ min: 1, max: 40 }),
    filter: fc.option(fc.constantFrom("red", "MUG", "-", "1", "tee 4", "zzz"), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("sale" as const), cents: fc.integer({ min: 0, max: 99_999 }) }),
  fc.record({ kind: fc.constant("void" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("sales" as const), pageSize: fc.integer({ min: 1, max: 40 }) }),
);

interface Modelled {
  name: unknown;
  sku: unknown;
  barcode: unknown;
}

/** What the sandbox's `Filter` keeps: SKU, barcode or name containing it, in any case. */
const matches = (p: Modelled, filter: string) =>
  [p.sku, p.barcode, p.name].some(
    (v) => typeof v === "string" && v.toLowerCase().includes(filter.toLowerCase()),
  );

describe("Hike sandbox, random writes and lists", () => {
  it("lists what was written, every product and sale once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(step, { maxLength: 25 }),
        async (products, sales, steps) => {
          const sandbox = await startHikeSandbox({
            validate: true,
            limits: false,
            size: { products, sales },
          });
          try {
            const client = createHikeClient(
              { ...sandbox.credentials },
              { baseUrl: sandbox.url, retry: false, limits: false, throwOnError: true },
            );
            const initial = await collect(client.paginate("/products/get_all"), { limit: 10_000 });
            // The models, in list order (ids ascending: created records come last).
            const model = new Map<number, Modelled>(
              initial.map((p) => [p.id!, { name: p.name, sku: p.sku, barcode: p.barcode }]),
            );
            const initialSales = await collect(client.paginate("/sales/get_all"), { limit: 100 });
            const saleModel = new Map(initialSales.map((s) => [s.id as number, s.status]));
            let made = 0;
            for (const s of steps) {
              const ids = [...model.keys()];
              if (s.kind === "create") {
                const sku = `P-${made++}`;
                const name = `${s.word} ${s.n}`;
                const { data, response } = await client.POST("/products/create", {
                  body: { name, sku },
                });
                expect(response.status).toBe(201);
                const id = data.id as number;
                expect(id).toBeGreaterThan(Math.max(0, ...ids));
                model.set(id, { name, sku, barcode: null });
              } else if (s.kind === "update" && ids.length > 0) {
                const id = ids[s.pick % ids.length]!;
                const name = `${s.word} ${s.n}`;
                const { response } = await client.POST("/products/create", { body: { id, name } });
                expect(response.status).toBe(202);
                model.set(id, { ...model.get(id)!, name });
              } else if (s.kind === "delete" && ids.length > 0) {
                const id = ids[s.pick % ids.length]!;
                await client.DELETE("/products/delete/{id}", { params: { path: { id } } });
                model.delete(id);
              } else if (s.kind === "list") {
                const query = s.filter === undefined ? {} : { Filter: s.filter };
                const rows = await collect(
                  client.paginate(
                    "/products/get_all",
                    { params: { query } },
                    {
                      pageSize: s.pageSize,
                    },
                  ),
                  { limit: 10_000 },
                );
                const expected = [...model].filter(
                  ([, p]) => s.filter === undefined || matches(p, s.filter),
                );
                expect(rows.map((r) => [r.id, r.name])).toEqual(
                  expected.map(([id, p]) => [id, p.name]),
                );
                expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
              } else if (s.kind === "sale") {
                const netAmount = s.cents / 100;
                const { data, response } = await client.POST("/sales/create", {
                  body: { netAmount, status: "completed" },
                });
                expect(response.status).toBe(201);
                saleModel.set(data.id as number, "completed");
              } else if (s.kind === "void" && saleModel.size > 0) {
                const saleIds = [...saleModel.keys()];
                const id = saleIds[s.pick % saleIds.length]!;
                await client.POST("/sales/create", { body: { id, status: "voided" } });
                saleModel.set(id, "voided");
              } else if (s.kind === "sales") {
                const rows = await collect(
                  client.paginate("/sales/get_all", {}, { pageSize: s.pageSize }),
                  { limit: 10_000 },
                );
                expect(rows.map((r) => [r.id, r.status])).toEqual([...saleModel]);
              }
            }
            expect(sandbox.violations).toEqual([]);
          } finally {
            await sandbox.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
