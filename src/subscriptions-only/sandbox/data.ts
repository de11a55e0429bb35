// The Subscriptions Only sandbox's records: add-ons and subscribers, seeded (the same seed, the
// same records) or the user's own. Every value is a string or null, as the API sends them; ids
// are the API's (`id` a number as text, `unique_id` `SAO-` and six digits).
import { Collection } from "../../sandbox/collection.js";
import { Random } from "../../sandbox/random.js";

export type AddOn = Record<string, string | null>;
export type Subscriber = Record<string, unknown>;

export interface SubscriptionsOnlyState {
  addOns: Collection<AddOn>;
  subscribers: Collection<Subscriber>;
  /** Coupons created through the API (the API has no read for them). */
  coupons: Record<string, string>[];
  /** The next internal `id` of an add-on. */
  nextAddOnId: number;
}

/** The first internal add-on id (the documentation's sample add-on is `"21"`). */
const FIRST_ADDON_ID = 21;
const NAMES = ["Gift wrap", "Extra box", "Priority shipping", "Greeting card", "Sample pack"];
const FIRST = ["Alice", "Bruno", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hugo"];
const LAST = ["Martin", "Bernard", "Dubois", "Nguyen", "Moreau", "Laurent", "Garcia"];

export const uniqueId = (n: number) => `SAO-${String(n).padStart(6, "0")}`;

/** `YYYY-MM-DD HH:MM:SS`, the API's date-time (no zone: UTC here). */
export const localDateTime = (ms: number) =>
  new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** What the sandbox leaves unset on every add-on, seeded or created (media, sizes, audit). */
export const UNSET_ADDON_FIELDS: AddOn = {
  addon_image: null,
  addon_video: null,
  shipping_measurements_weight: null,
  shipping_measurements_length: null,
  shipping_measurements_width: null,
  shipping_measurements_height: null,
  created_admin: "3",
  modified_admin: null,
  deleted_admin: null,
};

export function seededAddOn(random: Random, i: number): AddOn {
  const r = random.fork("add-ons", i);
  const created = Date.UTC(2018, 2, 20) + i * 86_400_000 + r.int(0, 86_399) * 1000;
  return {
    id: String(FIRST_ADDON_ID + i),
    store_id: "00",
    subscription_id: r.chance(0.3) ? String(r.int(100, 140)) : null,
    seller_id: "0",
    unique_id: uniqueId(i),
    addon_status: r.chance(0.85) ? "Active" : "Not Active",
    addon_name: `${r.pick(NAMES)} ${i}`,
    addon_description: "<p>Add-On</p>\n",
    addon_price: r.amount(1, 40),
    addon_code: r.chance(0.5) ? "" : `AO${i}`,
    addon_quantities: String(r.int(0, 5)),
    addon_quantity: String(r.int(0, 3)),
    charge_shipping: r.pick(["0", "1"]),
    charge_tax: r.pick(["0", "1"]),
    ...UNSET_ADDON_FIELDS,
    created: localDateTime(created),
    modified: null,
    deleted: null,
  };
}

export function seededSubscriber(random: Random, i: number): Subscriber {
  const r = random.fork("subscribers", i);
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  return {
    id: String(1_000 + i),
    status: r.chance(0.8) ? "Active" : "Cancelled",
    first_name: first,
    last_name: last,
    email: `${first
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z]/g, "")}.${last.toLowerCase()}${i}@example.com`,
    created: localDateTime(Date.UTC(2019, 0, 1) + i * 3_600_000),
  };
}

export interface SubscriptionsOnlyData {
  addOns?: AddOn[];
  subscribers?: Subscriber[];
}

export function seededState(
  random: Random,
  size: { addOns: number; subscribers: number },
  data: SubscriptionsOnlyData | undefined,
): SubscriptionsOnlyState {
  const byPosition = (prefix: string, start: number) => (id: string) => {
    const m = new RegExp(`^${prefix}(\\d+)$`).exec(id);
    return m ? Number(m[1]) - start : undefined;
  };
  const addOns = data?.addOns
    ? Collection.of<AddOn>((a) => a.unique_id!, data.addOns)
    : new Collection<AddOn>({
        size: size.addOns,
        generate: (i) => seededAddOn(random, i),
        idAt: uniqueId,
        positionOf: byPosition("SAO-", 0),
        idOf: (a) => a.unique_id!,
      });
  const subscribers = data?.subscribers
    ? Collection.of<Subscriber>((s) => String(s.id), data.subscribers)
    : new Collection<Subscriber>({
        size: size.subscribers,
        generate: (i) => seededSubscriber(random, i),
        idAt: (i) => String(1_000 + i),
        positionOf: byPosition("", 1_000),
        idOf: (s) => String(s.id),
      });
  let nextAddOnId = FIRST_ADDON_ID + (data?.addOns ? 0 : size.addOns);
  for (const a of data?.addOns ?? []) nextAddOnId = Math.max(nextAddOnId, Number(a.id) + 1);
  return { addOns, subscribers, coupons: [], nextAddOnId };
}
