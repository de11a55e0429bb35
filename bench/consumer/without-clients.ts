// The same integration as with-clients.ts without the clients: plain fetch, untyped JSON (bench
// row 6 type-checks both and compares).
const headers = { Authorization: `Bearer ${process.env.TOKEN}` };
const get = async (url: string): Promise<any> => (await fetch(url, { headers })).json();

export async function sync(): Promise<string[]> {
  const lines: string[] = [];
  const order = await get("https://api.hubrise.com/v1/location/orders/5dpm9");
  if (order) lines.push(`${order.id} ${order.total}`);
  for (const o of await get("https://api.hubrise.com/v1/location/orders?status=new"))
    lines.push(o.id);

  const [sale] = await get("https://myshop.hiboutik.com/api/sales/44");
  lines.push(sale.total);
  for (const c of await get("https://myshop.hiboutik.com/api/customers/"))
    lines.push(String(c.customers_id));

  const addOn = (await get("https://api.subscriptionsonly.com/1.0.0/add-ons/SAO-1")).body.data;
  lines.push(String(addOn.addon_price));
  for (const a of (await get("https://api.subscriptionsonly.com/1.0.0/add-ons")).body.data)
    lines.push(String(a.unique_id));

  for (const p of (await get("https://api.hikeup.com/api/v1/products/get_all?page_size=500")).items)
    lines.push(String(p.id));
  return lines;
}
