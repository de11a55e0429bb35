// The sandbox's account as HubRise's documentation writes its samples: the account `3r4s3`
// "Bella Pizza" (EUR) with its locations `3r4s3-1` Paris and `3r4s3-2` Lyon, the user who
// installed the app, and the catalogs' menus drawn from the seed. The identity is fixed, because
// the OAuth token answer names it (account_id, location_id, their names); the records under it
// (orders, customers, catalog content) are the seed's.
import { Random } from "../../sandbox/random.js";
import type { HubriseSchema } from "../index.js";
import type { CatalogDataUpload } from "./catalog-build.js";

export type Account = HubriseSchema<"Account">;
export type Location = HubriseSchema<"Location">;
export type User = HubriseSchema<"User">;

export const ACCOUNT: Account = { id: "3r4s3", name: "Bella Pizza", currency: "EUR" };
export const TIME_ZONE = "Europe/Paris";

export function seededLocations(): Location[] {
  const location = (
    id: string,
    name: string,
    address: string,
    postal_code: string,
    rest: Pick<Location, "opening_hours" | "custom_fields">,
  ): Location => ({
    id,
    name,
    account: ACCOUNT,
    address,
    postal_code,
    city: name,
    country: "FR",
    timezone: { name: TIME_ZONE },
    cutoff_time: "06:00",
    preparation_time: 15,
    order_acceptance: { mode: "normal" },
    ...rest,
  });
  return [
    location("3r4s3-1", "Paris", "13 rue du Chant des Oiseaux", "75003", {
      opening_hours: {
        monday: [
          { from: "12:00", to: "14:00" },
          { from: "18:00", to: "01:00" },
        ],
        tuesday: [{ from: "12:00", to: "23:00" }],
      },
      custom_fields: { delivery: { door_time: "35" } },
    }),
    location("3r4s3-2", "Lyon", "4 place Bellecour", "69002", {
      opening_hours: { friday: [{ from: "18:00", to: "23:30" }] },
      custom_fields: {},
    }),
  ];
}

export function seededUser(seed: string | number): User {
  const r = new Random(seed).fork("user");
  const first = r.pick(["Camille", "Léa", "Hugo", "Nina", "Paul"]);
  const last = r.pick(["Durand", "Lefebvre", "Morel", "Fournier"]);
  return {
    id: r.text("0123456789abcdefghijklmnopqrstuvwxyz", 5),
    first_name: first,
    last_name: last,
    email: `${first
      .normalize("NFD")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase()}@bella-pizza.example`,
    timezone: { name: TIME_ZONE },
    locales: ["fr-FR"],
  };
}

const PIZZAS = [
  "Margherita",
  "Regina",
  "Quattro Formaggi",
  "Diavola",
  "Calzone",
  "Napoli",
  "Vegetariana",
];
const PASTA = ["Carbonara", "Bolognese", "Arrabbiata", "Pesto", "Lasagne"];
const DRINKS = ["Coca-Cola", "San Pellegrino", "Limonade", "Chianti (glass)"];
const DESSERTS = ["Tiramisu", "Panna Cotta", "Gelato"];

/** The seed's menu as a catalog upload: what the location catalog holds and seeded orders sell. */
export function seededMenu(seed: string | number): CatalogDataUpload {
  const r = new Random(seed).fork("menu");
  const price = (min: number, max: number) =>
    `${r.int(min, max)}.${r.pick(["00", "50", "90"])} EUR`;
  const pick = (names: string[], n: number) => {
    const pool = [...names];
    const out: string[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(r.int(0, pool.length - 1), 1)[0]!);
    return out;
  };
  const ref = (name: string) =>
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/_$/, "");
  const pizzas = pick(PIZZAS, r.int(4, 6)).map((name) => {
    const base = r.int(9, 13);
    return {
      ref: ref(name),
      category_ref: "PIZZAS",
      name,
      tags: r.chance(0.3) ? ["vegetarian"] : [],
      skus: (["Medium", "Large"] as const).map((size, i) => ({
        ref: `${ref(name)}_${size[0]}`,
        name: size,
        price: `${base + i * 4}.${r.pick(["00", "50", "90"])} EUR`,
        option_list_refs: ["TOPPINGS", "SAUCE"],
      })),
    };
  });
  const single = (category: string, names: string[], min: number, max: number) =>
    names.map((name) => ({
      ref: ref(name),
      category_ref: category,
      name,
      skus: [{ ref: `${ref(name)}_1`, name: null, price: price(min, max) }],
    }));
  const drinks = single("DRINKS", pick(DRINKS, 3), 2, 6);
  return {
    variants: [
      { ref: "DELIVERY", name: "Delivery" },
      { ref: "EAT_IN", name: "Eat in" },
    ],
    categories: [
      { ref: "FOOD", name: "Food" },
      { ref: "PIZZAS", name: "Pizzas", parent_ref: "FOOD" },
      { ref: "PASTA", name: "Pasta", parent_ref: "FOOD" },
      { ref: "DRINKS", name: "Drinks" },
      { ref: "DESSERTS", name: "Desserts" },
    ],
    products: [
      ...pizzas,
      ...single("PASTA", pick(PASTA, r.int(2, 4)), 9, 14),
      ...drinks,
      ...single("DESSERTS", pick(DESSERTS, 2), 4, 7),
    ],
    option_lists: [
      {
        ref: "TOPPINGS",
        name: "Toppings",
        min_selections: 0,
        max_selections: 4,
        options: ["Mushrooms", "Olives", "Extra cheese", "Ham"].map((name) => ({
          ref: ref(name),
          name,
          price: `${r.int(1, 2)}.${r.pick(["00", "50"])} EUR`,
        })),
      },
      {
        ref: "SAUCE",
        name: "Sauce",
        min_selections: 1,
        max_selections: 1,
        options: [
          { ref: "TOMATO", name: "Tomato", default: true },
          { ref: "CREAM", name: "Cream", price: "0.50 EUR" },
        ],
      },
    ],
    deals: [
      {
        ref: "PIZZA_DRINK",
        name: "Pizza + drink",
        lines: [
          {
            skus: pizzas.map((p) => ({ ref: p.skus[0]!.ref })),
            pricing_effect: "unchanged",
            label: "Pizza",
          },
          {
            skus: drinks.map((d) => ({ ref: d.skus[0]!.ref })),
            pricing_effect: "fixed_price",
            pricing_value: "1.00 EUR",
            label: "Drink",
          },
        ],
      },
    ],
    discounts: [
      {
        ref: "WELCOME10",
        name: "10% off",
        pricing_effect: "percentage_off",
        pricing_value: "10",
        coupon_codes: ["WELCOME"],
      },
    ],
    charges: [{ ref: "DEL", name: "Delivery fee", type: "delivery", price: price(2, 3) }],
  };
}

/** A smaller account-level catalog (the drinks every location sells). */
export function seededAccountMenu(seed: string | number): CatalogDataUpload {
  const r = new Random(seed).fork("account-menu");
  return {
    categories: [{ ref: "DRINKS", name: "Drinks" }],
    products: DRINKS.map((name, i) => ({
      ref: `ACC_DRINK_${i}`,
      category_ref: "DRINKS",
      name,
      skus: [{ ref: `ACC_DRINK_${i}_1`, price: `${r.int(2, 5)}.${r.pick(["00", "50"])} EUR` }],
    })),
  };
}
