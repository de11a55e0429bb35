// A failed Subscriptions Only call: its envelope's body (typed), and the field names of a 400's
// `fields` object in the order of their numeric keys.
import { ApiError, type ErrorContext } from "../core/errors.js";
import type { components } from "../../generated/subscriptions-only/schema.js";

type Schemas = components["schemas"];
/** The `body` of a failed call: `{text, fields}` on a 400, `{text?}` when the API explains. */
export type SubscriptionsOnlyErrorBody =
  Schemas["ValidationError"] | NonNullable<Schemas["ErrorEnvelope"]["body"]>;

/** The envelope's `message` is a reason phrase; a longer one is cut. */
const ENVELOPE_MESSAGE_LIMIT = 200;

export class SubscriptionsOnlyApiError extends ApiError<SubscriptionsOnlyErrorBody> {
  override name = "SubscriptionsOnlyApiError";
  /** The names in a 400's `fields` (unknown or missing fields), ordered by their keys. */
  readonly fieldNames: string[];
  /** The envelope's `message` (the reason phrase). */
  readonly envelopeMessage: string | undefined;

  constructor(
    ctx: ErrorContext,
    init: {
      status: number;
      statusText?: string;
      envelope: { message?: unknown; body?: unknown };
      attempts?: number;
    },
  ) {
    const body = isObject(init.envelope.body)
      ? (init.envelope.body as SubscriptionsOnlyErrorBody)
      : undefined;
    const fieldNames = fieldNamesOf(body);
    const text = body && typeof body.text === "string" ? body.text : undefined;
    const detail = [text, fieldNames.length > 0 ? `fields: ${fieldNames.join(", ")}` : undefined]
      .filter(Boolean)
      .join(" ");
    super(
      ctx,
      { status: init.status, statusText: init.statusText, body, attempts: init.attempts },
      detail || undefined,
    );
    this.fieldNames = fieldNamesOf(this.body); // from the redacted copy
    const message = init.envelope.message;
    this.envelopeMessage =
      typeof message === "string" ? ctx.secrets.cut(message, ENVELOPE_MESSAGE_LIMIT) : undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function fieldNamesOf(body: unknown): string[] {
  if (!isObject(body) || !isObject(body.fields)) return [];
  return Object.entries(body.fields)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, name]) => String(name));
}
