// Loyalty cards and their operations (Customers §3–4). A card belongs to a customer of the list
// and starts at a balance of "0.0"; only its name and ref change. Cards are filtered by
// `customer_id`, `name` and `ref`. Operations are listed newest first, never changed or deleted;
// each moves the card's balance by its `delta` (an `order_id` must be an order of the account).
import type { HubriseSchema } from "../../index.js";
import { notFound, unprocessable } from "../errors.js";
import { decimal, hubriseTime, parseDecimal } from "../format.js";
import { collectionPager, listAnswer, newestFirst } from "../paging.js";
import { TIME_ZONE } from "../seed-account.js";
import type { LoyaltyCard, LoyaltyOperation } from "../seed-people.js";
import { bodyOf, type Ctx, type Handler, ok } from "./common.js";
import { listOf } from "./customers.js";

type LoyaltyCardCreate = HubriseSchema<"LoyaltyCardCreate">;
type LoyaltyCardUpdate = HubriseSchema<"LoyaltyCardUpdate">;
type LoyaltyOperationCreate = HubriseSchema<"LoyaltyOperationCreate">;

function cardOf(ctx: Ctx) {
  const list = listOf(ctx);
  const card = list?.cards.get(ctx.params.path.loyalty_card_id as string);
  return list && card ? { list, card } : undefined;
}

export const loyaltyHandlers: Record<string, Handler> = {
  listLoyaltyCards(ctx) {
    const list = listOf(ctx);
    if (!list) return notFound();
    const q = ctx.params.query;
    const keep = (c: LoyaltyCard) =>
      (q.customer_id === undefined || c.customer_id === q.customer_id) &&
      (q.name === undefined || c.name === q.name) &&
      (q.ref === undefined || c.ref === q.ref);
    return listAnswer(ctx, collectionPager(list.cards, keep));
  },
  createLoyaltyCard(ctx) {
    const list = listOf(ctx);
    if (!list) return notFound();
    const body = bodyOf<LoyaltyCardCreate>(ctx);
    if (!list.customers.has(body.customer_id)) {
      return unprocessable([{ field: "customer_id", message: "is not a customer of this list" }]);
    }
    const card = list.cards.insert({
      id: ctx.state.ids.loyaltyCards.fresh(),
      customer_id: body.customer_id,
      name: body.name ?? null,
      ref: body.ref ?? null,
      balance: "0.0",
    });
    list.cardsByCustomer.set(card.customer_id, [
      ...(list.cardsByCustomer.get(card.customer_id) ?? []),
      card.id,
    ]);
    list.operations.set(card.id, []);
    return ok(card);
  },
  getLoyaltyCard(ctx) {
    const found = cardOf(ctx);
    return found ? ok(found.card) : notFound();
  },
  updateLoyaltyCard(ctx) {
    const found = cardOf(ctx);
    if (!found) return notFound();
    const body = bodyOf<LoyaltyCardUpdate>(ctx);
    const updated: LoyaltyCard = {
      ...found.card,
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.ref !== undefined ? { ref: body.ref } : {}),
    };
    found.list.cards.replace(updated.id, updated);
    return ok(updated);
  },
  listLoyaltyOperations(ctx) {
    const found = cardOf(ctx);
    if (!found) return notFound();
    return listAnswer(ctx, newestFirst(found.list.operations.get(found.card.id) ?? []));
  },
  createLoyaltyOperation(ctx) {
    const found = cardOf(ctx);
    if (!found) return notFound();
    const body = bodyOf<LoyaltyOperationCreate>(ctx);
    const order = body.order_id === undefined ? undefined : ctx.state.orders.get(body.order_id);
    if (body.order_id !== undefined && !order) {
      return unprocessable([{ field: "order_id", message: "is not an order of the account" }]);
    }
    const balance = parseDecimal(found.card.balance) + parseDecimal(body.delta);
    const operation: LoyaltyOperation = {
      id: ctx.state.ids.loyaltyOperations.fresh(),
      customer_id: found.card.customer_id,
      created_at: hubriseTime(ctx.now, TIME_ZONE),
      order_location_id: order?.location_id ?? null,
      order_id: order?.id ?? null,
      reason: body.reason ?? null,
      delta: decimal(parseDecimal(body.delta)),
      new_balance: decimal(balance),
    };
    found.list.cards.replace(found.card.id, { ...found.card, balance: decimal(balance) });
    const operations = found.list.operations.get(found.card.id) ?? [];
    operations.push(operation);
    found.list.operations.set(found.card.id, operations);
    return ok(operation);
  },
  getLoyaltyOperation(ctx) {
    const found = cardOf(ctx);
    const operation = found?.list.operations
      .get(found.card.id)
      ?.find((o) => o.id === ctx.params.path.operation_id);
    return operation ? ok(operation) : notFound();
  },
};
