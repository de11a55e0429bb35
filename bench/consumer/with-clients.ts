// A small integration that uses all four clients (bench row 6 type-checks it with tsc).
import { createHiboutikClient } from "commerce-openapi/hiboutik";
import { createHikeClient } from "commerce-openapi/hike";
import { createHubriseClient } from "commerce-openapi/hubrise";
import { createSubscriptionsOnlyClient } from "commerce-openapi/subscriptions-only";

const hubrise = createHubriseClient({ accessToken: process.env.HUBRISE_ACCESS_TOKEN! });
const hiboutik = createHiboutikClient({
  account: "myshop",
  login: "owner@example.com",
  apiKey: process.env.HIBOUTIK_API_KEY!,
});
const so = createSubscriptionsOnlyClient({ storeId: "STO-12345", apiKey: process.env.SO_API_KEY! });
const hike = createHikeClient({ accessToken: process.env.HIKE_ACCESS_TOKEN! });

export async function sync(): Promise<string[]> {
  const lines: string[] = [];
  const { data: order } = await hubrise.GET("/location/orders/{order_id}", {
    params: { path: { order_id: "5dpm9" } },
  });
  if (order) lines.push(`${order.id} ${order.total}`);
  for await (const o of hubrise.paginate("/location/orders", {
    params: { query: { status: "new" } },
  }))
    lines.push(o.id);

  const sale = await hiboutik.one("/sales/{sale_id}", { params: { path: { sale_id: 44 } } });
  lines.push(sale.total);
  for await (const c of hiboutik.paginate("/customers/")) lines.push(String(c.customers_id));

  const addOn = await so.GET("/add-ons/{unique_id}", { params: { path: { unique_id: "SAO-1" } } });
  lines.push(String(addOn.addon_price));
  for await (const a of so.paginate("/add-ons")) lines.push(String(a.unique_id));

  for await (const p of hike.paginate("/products/get_all")) lines.push(String(p.id));
  return lines;
}
