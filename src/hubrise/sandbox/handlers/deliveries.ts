// An order's delivery (Deliveries documentation): attached once, to an order whose service_type is
// `delivery`; `carrier`, `carrier_ref` and `fee` cannot change afterwards; a status change fills
// its time (`pickup_enroute` → assigned_at, `dropoff_enroute` → pickup_at, `delivered` →
// delivered_at, `cancelled` → cancelled_at) unless the request sets it. Attaching fires
// `delivery.create` and `order.update`; an update fires `delivery.update`, and `order.update` too
// unless only the driver's position changed.
import type { HubriseSchema } from "../../index.js";
import { notFound, unprocessable } from "../errors.js";
import { hubriseTime } from "../format.js";
import { TIME_ZONE } from "../seed-account.js";
import type { Delivery, Order } from "../seed-orders.js";
import { bodyOf, connectionOf, type Ctx, type Handler, ok } from "./common.js";
import { emitOrderUpdate, orderOf } from "./orders.js";

type DeliveryCreate = HubriseSchema<"DeliveryCreate">;
type DeliveryUpdate = HubriseSchema<"DeliveryUpdate">;

const STATUS_TIMES: Partial<Record<Delivery["status"], keyof Delivery>> = {
  pickup_enroute: "assigned_at",
  dropoff_enroute: "pickup_at",
  delivered: "delivered_at",
  cancelled: "cancelled_at",
};
const FIXED = ["carrier", "carrier_ref", "fee"] as const;

function stampStatus(delivery: Delivery, sent: Record<string, unknown>, now: number) {
  const field = STATUS_TIMES[delivery.status];
  if (field && sent[field] === undefined) {
    (delivery as Record<string, unknown>)[field] = hubriseTime(now, TIME_ZONE);
  }
}

function emitDelivery(
  ctx: Ctx,
  eventType: "create" | "update",
  order: Order,
  delivery: Delivery,
  previous?: Delivery,
) {
  ctx.state.callbacks.emit(connectionOf(ctx), {
    resource_type: "delivery",
    event_type: eventType,
    order_id: order.id,
    location_id: order.location_id,
    account_id: ctx.state.account.id,
    ...(previous ? { previous_state: previous } : {}),
    new_state: delivery,
  });
}

function createDelivery(ctx: Ctx) {
  const order = orderOf(ctx);
  if (!order) return notFound();
  if (order.delivery)
    return unprocessable([{ field: "delivery", message: "the order already has one" }]);
  if (order.service_type !== "delivery") {
    return unprocessable([
      { field: "service_type", message: "the order's service_type is not delivery" },
    ]);
  }
  const body = bodyOf<DeliveryCreate>(ctx);
  const delivery: Delivery = {
    id: ctx.state.ids.deliveries.fresh(),
    order_id: order.id,
    location_id: order.location_id,
    carrier_ref: null,
    ref: null,
    fee: null,
    estimated_pickup_at: null,
    estimated_dropoff_at: null,
    tracking_url: null,
    driver_pickup_url: null,
    driver_name: null,
    driver_phone: null,
    driver_phone_access_code: null,
    driver_latitude: null,
    driver_longitude: null,
    assigned_at: null,
    pickup_at: null,
    delivered_at: null,
    cancelled_at: null,
    ...body,
  };
  stampStatus(delivery, body, ctx.now);
  const updated = { ...order, delivery };
  ctx.state.orders.replace(updated);
  emitDelivery(ctx, "create", order, delivery);
  emitOrderUpdate(ctx, order, updated);
  return ok(delivery);
}

function getDelivery(ctx: Ctx) {
  const delivery = orderOf(ctx)?.delivery;
  return delivery ? ok(delivery) : notFound();
}

function updateDelivery(ctx: Ctx) {
  const order = orderOf(ctx);
  const previous = order?.delivery;
  if (!order || !previous) return notFound();
  const body = bodyOf<DeliveryUpdate & Record<string, unknown>>(ctx);
  const fixed = FIXED.filter((f) => body[f] !== undefined && body[f] !== previous[f]);
  if (fixed.length > 0)
    return unprocessable(fixed.map((field) => ({ field, message: "cannot be changed" })));
  const delivery: Delivery = { ...previous, ...body } as Delivery;
  if (body.status !== undefined && body.status !== previous.status)
    stampStatus(delivery, body, ctx.now);
  const updated = { ...order, delivery };
  ctx.state.orders.replace(updated);
  emitDelivery(ctx, "update", order, delivery, previous);
  const positionOnly = Object.keys(body).every(
    (k) => k === "driver_latitude" || k === "driver_longitude",
  );
  if (!positionOnly) emitOrderUpdate(ctx, order, updated);
  return ok(delivery);
}

export const deliveryHandlers: Record<string, Handler> = {
  createLocationOrderDelivery: createDelivery,
  createCurrentLocationOrderDelivery: createDelivery,
  getLocationOrderDelivery: getDelivery,
  getCurrentLocationOrderDelivery: getDelivery,
  updateLocationOrderDelivery: updateDelivery,
  updateCurrentLocationOrderDelivery: updateDelivery,
};
