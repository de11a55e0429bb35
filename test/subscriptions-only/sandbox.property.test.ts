// Random sequences of writes and lists against the Subscriptions Only sandbox, through the real
// client: every list reflects the writes before it (every add-on once, in order, with its last
// values), and every answer fits the description.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect, createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";

type Step =
  | { kind: "create"; price: number }
  | { kind: "update"; pick: number; price: number }
  | { kind: "delete"; pick: number }
  | { kind: "list"; pageSize: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), price: fc.integer({ min: 0, max: 99_99 }) }),
  fc.record({
    kind: fc.constant("update" as const),
    pick: fc.nat(),
    price: fc.integer({ min: 0, max: 99_99 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("list" as const), pageSize: fc.integer({ min: 1, max: 30 }) }),
);

const money = (cents: number) => (cents / 100).toFixed(2);

describe("Subscriptions Only sandbox, random writes and lists", () => {
  it("lists what was written, every add-on once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.array(step, { maxLength: 25 }),
        async (seeded, steps) => {
          const sandbox = await startSubscriptionsOnlySandbox({
            validate: true,
            size: { addOns: seeded, subscribers: 0 },
          });
          try {
            const client = createSubscriptionsOnlyClient(sandbox.credentials, {
              baseUrl: sandbox.url,
              retry: false,
            });
            const initial = await collect(client.paginate("/add-ons", {}), { limit: 10_000 });
            // The model: unique_id → price, in list order.
            const model = new Map(initial.map((a) => [a.unique_id!, a.addon_price!]));
            let made = 0;
            for (const s of steps) {
              const ids = [...model.keys()];
              if (s.kind === "create") {
                const code = `P${made++}`;
                await client.POST("/add-ons", {
                  body: {
                    addon_status: "Active",
                    addon_name: code,
                    addon_description: "",
                    addon_price: money(s.price),
                    addon_quantities: "0",
                    addon_code: code,
                  },
                });
                // The API returns no id: find the new add-on by its code, at the end of the list.
                const rows = await collect(client.paginate("/add-ons", {}), { limit: 10_000 });
                const created = rows.at(-1)!;
                expect(created.addon_code).toBe(code);
                model.set(created.unique_id!, money(s.price));
              } else if (s.kind === "update" && ids.length > 0) {
                const id = ids[s.pick % ids.length]!;
                await client.PUT("/add-ons/{unique_id}", {
                  params: { path: { unique_id: id } },
                  body: { addon_price: money(s.price) },
                });
                model.set(id, money(s.price));
              } else if (s.kind === "delete" && ids.length > 0) {
                const id = ids[s.pick % ids.length]!;
                await client.DELETE("/add-ons/{unique_id}", {
                  params: { path: { unique_id: id } },
                });
                model.delete(id);
              } else if (s.kind === "list") {
                const rows = await collect(
                  client.paginate("/add-ons", {}, { pageSize: s.pageSize }),
                  { limit: 10_000 },
                );
                expect(rows.map((r) => [r.unique_id, r.addon_price])).toEqual([...model]);
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
