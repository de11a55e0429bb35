// A consumer of `commerce-openapi/subscriptions-only`: calls resolve to the unwrapped envelope,
// typed per operation. Each @ts-expect-error marks a mistake the types must reject.
import {
  createSubscriptionsOnlyClient,
  type SubscriptionsOnlyListItem,
  type SubscriptionsOnlySchema,
} from "commerce-openapi/subscriptions-only";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => undefined;

export async function consumer(): Promise<void> {
  const so = createSubscriptionsOnlyClient({ storeId: "STO-123", apiKey: "key" });

  // GET one: body.data, the add-on itself.
  const addOn = await so.GET("/add-ons/{unique_id}", {
    params: { path: { unique_id: "SAO-000000" } },
  });
  assertType<Equals<typeof addOn, SubscriptionsOnlySchema<"AddOn">>>();
  const price: string = addOn.addon_price;
  const subscription: string | null = addOn.subscription_id;
  (void price, subscription);

  // GET list: body.data, an array; PUT/DELETE: body.text; POST 201: nothing.
  const page = await so.GET("/add-ons", { params: { query: { page: 2, paginate: 15 } } });
  assertType<Equals<typeof page, SubscriptionsOnlySchema<"AddOn">[]>>();
  const text: string = await so.PUT("/add-ons/{unique_id}", {
    params: { path: { unique_id: "SAO-000000" } },
    body: { addon_price: "12.00" },
  });
  void text;
  const created = await so.POST("/coupons", { body: { coupon_code: "API1", amount: "5.00" } });
  assertType<Equals<typeof created, undefined>>();

  for await (const row of so.paginate("/add-ons", {}, { pageSize: 15 })) {
    assertType<Equals<typeof row, SubscriptionsOnlyListItem<"/add-ons">>>();
  }

  await so.PUT("/add-ons/{unique_id}", {
    params: { path: { unique_id: "SAO-1" } },
    // @ts-expect-error prices are strings on the wire
    body: { addon_price: 12 },
  });
  await so.POST("/add-ons", {
    // @ts-expect-error a new add-on needs the required fields
    body: { addon_name: "Socks" },
  });
  await so.POST("/coupons", {
    // @ts-expect-error the API refuses unknown fields, and so do the types
    body: { coupon_code: "API1", this_should_fail: "x" },
  });
  // @ts-expect-error no such endpoint is documented
  await so.GET("/subscriptions");
  // @ts-expect-error one add-on is not a list
  so.paginate("/add-ons/{unique_id}");
}
