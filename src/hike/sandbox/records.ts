// The lists whose records Hike does not describe (outlets, registers, customers, suppliers,
// product types, taxes, payment types, users, offers), paged as every list, and one offer by id.
// `outlets/get_all_active` keeps the outlets whose `isActive` is true.
import type { HikeKind } from "./data.js";
import { notFound } from "./errors.js";
import { listPage } from "./paging.js";
import type { HikeHandler } from "./state.js";

const all =
  (kind: HikeKind): HikeHandler =>
  (ctx) =>
    listPage(ctx, { collection: ctx.state[kind] });

export const recordHandlers: Record<string, HikeHandler> = {
  listProductTypes: all("productTypes"),
  listSuppliers: all("suppliers"),
  listCustomers: all("customers"),
  listActiveOutlets: (ctx) =>
    listPage(ctx, { collection: ctx.state.outlets, keep: (o) => o.isActive === true }),
  listOutlets: all("outlets"),
  listRegisters: all("registers"),
  listOffers: all("offers"),
  getOffer(ctx) {
    const id = ctx.params.path.id as number;
    const offer = ctx.state.offers.get(String(id));
    return offer ? { status: 200, body: offer } : notFound(`Offer ${id}`);
  },
  listTaxes: all("taxes"),
  listPaymentTypes: all("paymentTypes"),
  listUsers: all("users"),
};
