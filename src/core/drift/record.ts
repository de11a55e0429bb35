// An answered call made into the exchange a `record` sink receives: nothing leaves here that the
// client's errors would not show. Credentials go through the client's Secrets (headers and body, in
// every encoding a server may echo them in), credential headers lose their value whatever it is,
// personal fields are dropped or hashed, and the body is a copy (the caller may change its own).
import { EXCHANGE_FORMAT, type RecordedExchange } from "./exchange.js";
import { type PersonalFieldsMode, withPersonalFields } from "./personal.js";

/** The client's Secrets (src/core/redact.ts), as far as a recording uses them. */
export interface SecretsLike {
  redact(text: string): string;
  cut(text: string, max: number): string;
  redactValue<T>(value: T): T;
}

export interface AnsweredCall {
  vendor: string;
  method: string;
  path: string;
  operationId: string | undefined;
  /** The request's URL as sent. */
  url: string;
  response: Response;
  /** What openapi-fetch parsed: `data`, or `error` for a non-2xx. */
  body: unknown;
  /** Epoch ms, the client's clock. */
  startedAt: number;
  durationMs: number;
}

/** A non-JSON body (an HTML error page) is kept up to this many characters. */
const TEXT_LIMIT = 4_000;
/**
 * Headers that carry a credential or a session, whatever their value: cookies, Authorization, and
 * any name with a word such as `token`, `secret`, `api-key` (X-Access-Token, X-Auth-Token…).
 */
const CREDENTIAL_HEADER =
  /^(?:set-cookie2?|cookie|(?:proxy-)?authorization)$|(?:^|-)(?:auth|token|secret|api-?key|password|passwd|session|signature|credentials?)(?:-|$)/;

/** Whether a header carries a credential or a session, whatever its value (the name decides). */
export const isCredentialHeader = (name: string): boolean =>
  CREDENTIAL_HEADER.test(name.toLowerCase());

export async function exchangeOf(
  call: AnsweredCall,
  personal: PersonalFieldsMode,
  secrets: SecretsLike,
  /** What a credential header's value is replaced by (`[redacted]`). */
  redacted: string,
): Promise<RecordedExchange> {
  const headers: Record<string, string> = {};
  call.response.headers.forEach((value, name) => {
    headers[name] = CREDENTIAL_HEADER.test(name) ? redacted : secrets.redact(value);
  });
  const url = new URL(call.url);
  const body = await recordedBody(call.body, personal, secrets);
  return {
    format: EXCHANGE_FORMAT,
    vendor: call.vendor,
    timestamp: new Date(call.startedAt).toISOString(),
    durationMs: Math.round(call.durationMs * 1000) / 1000,
    method: call.method,
    path: call.path,
    ...(call.operationId === undefined ? {} : { operationId: call.operationId }),
    origin: url.origin,
    urlPath: secrets.redact(url.pathname),
    status: call.response.status,
    headers,
    ...(body === undefined ? {} : { body }),
    personal,
  };
}

async function recordedBody(
  body: unknown,
  personal: PersonalFieldsMode,
  secrets: SecretsLike,
): Promise<unknown> {
  if (typeof body === "string") return body === "" ? undefined : secrets.cut(body, TEXT_LIMIT);
  if (!isJson(body)) return undefined; // a Blob, a stream: not what a recording compares
  const treated = await withPersonalFields(body, personal);
  // `keep` hands back the caller's own value: a sink that runs later must not see it change.
  return secrets.redactValue(treated === body ? structuredClone(body) : treated);
}

function isJson(value: unknown): boolean {
  if (value === null || ["number", "boolean"].includes(typeof value)) return true;
  if (Array.isArray(value)) return true;
  if (typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
