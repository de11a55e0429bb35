// What every handler group shares: the handler type, the answers (a bare array, a one-element
// array for single-record reads, `{}` for the writes whose success body Hiboutik does not
// document), and the lookups of path parameters and body fields.
import type { HandlerContext, OperationHandler, SandboxResponse } from "../../../sandbox/server.js";
import { localDateTime } from "../format.js";
import type { HiboutikState, Row, Store } from "../records.js";

/** Who is calling: a user (Basic), an app (a Bearer token), or an app at the token endpoint. */
export type HiboutikPrincipal =
  { kind: "basic"; login: string } | { kind: "token" } | { kind: "oauth-client" };

export type Handler = OperationHandler<HiboutikState, HiboutikPrincipal>;
export type Ctx = HandlerContext<HiboutikState, HiboutikPrincipal>;

export const ok = (body: unknown, status = 200): SandboxResponse => ({ status, body });

/**
 * The answer of a write whose success body the vendor does not document (its description's
 * `DeletedResponse`, an open object): `{}` (GAP: the sandbox sends nothing an integrator could come
 * to rely on).
 */
export const done = (): SandboxResponse => ({ status: 200, body: {} });

/** A path parameter already converted to its integer schema. */
export const pathInt = (ctx: Ctx, name: string) => ctx.params.path[name] as number;
export const pathText = (ctx: Ctx, name: string) => String(ctx.params.path[name]);

/** The decoded body (JSON or form, converted to the schema's types). */
export const bodyOf = (ctx: Ctx) => (ctx.body ?? {}) as Row;

/** The sandbox clock's time as the stores write it. */
export const nowLocal = (ctx: Ctx) => localDateTime(ctx.now, ctx.state.timeZone);

export const findStore = (state: HiboutikState, storeId: number): Store | undefined =>
  state.stores.find((s) => s.store_id === storeId);

/** `YYYY-MM-DD` of the date path segments. */
export const pathDate = (ctx: Ctx) =>
  `${pathText(ctx, "yyyy")}-${pathText(ctx, "mm")}-${pathText(ctx, "dd")}`;

/** A text field of a body, trimmed of nothing; undefined when absent. */
export function text(body: Row, key: string): string | undefined {
  const value = body[key];
  return value === undefined || value === null ? undefined : String(value);
}

/** An integer field of a body, or the fallback. */
export function int(body: Row, key: string, fallback = 0): number {
  const value = body[key];
  return typeof value === "number" ? value : value === undefined ? fallback : Number(value);
}

/** Whether a lookup gave an answer (a 404) rather than a record. */
export const isAnswer = (value: unknown): value is SandboxResponse =>
  typeof (value as SandboxResponse).status === "number";
