// One exchange against its operation: the operation's evidence, the status, the headers, the
// body's media type and the body (body-validators.ts). What is per operation (its responses'
// statuses, documented headers, media types) is worked out once and kept.
import {
  classifyAjvErrors,
  type DriftFinding,
  type FindingContext,
} from "../core/drift/findings.js";
import { isStandardHeader } from "../core/drift/headers.js";
import { isPersonalField } from "../core/drift/personal.js";
import { REDACTED } from "../core/redact.js";
import type { Description, Json, OperationSpec } from "../sandbox/description.js";
import { type BodyValidators, bodyValidators } from "./body-validators.js";
import type { Finding, FindingFacts, FindingKind } from "./finding.js";
import { jsonType } from "./infer.js";
import { type BodyState, isJsonMediaType, mediaTypeOf, type Observed } from "./observed.js";
import { segmentsOf, valueAt } from "./pointers.js";

interface DocumentedResponse {
  /** The response's key (`200`, `4XX`, `default`) and its pointer in the description. */
  key: string;
  pointer: string;
  headers: Set<string>;
  /** Media types with a schema, by name; the first JSON one. */
  media: Map<string, string | undefined>;
  json: { mediaType: string; schemaPointer: string | undefined } | undefined;
}

interface OperationInfo {
  byStatus: Map<number, DocumentedResponse | null>;
  responses: Map<string, DocumentedResponse>;
}

export interface CheckSink {
  finding(finding: Finding): void;
  /**
   * A violation set aside: at a value a client's recording redacted (`[redacted]`), or at a
   * personal field it dropped or hashed. The recording made it, not the vendor.
   */
  setAside(): void;
}

export interface ExchangeChecker {
  /** Checks `exchange`, answered by `operation`; returns why its body was not checked, if so. */
  check(exchange: Observed, operation: OperationSpec, sink: CheckSink): BodyState | undefined;
}

function findingOf(
  op: OperationSpec,
  status: number,
  kind: FindingKind,
  pointer: string,
  rule: string,
  message: string,
  schemaPath: string,
): Finding {
  return {
    kind,
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: op.template,
    status,
    pointer,
    rule,
    message,
    schemaPath,
  };
}

/** Whether a violation is the recording's doing (see CheckSink.setAside). */
function recordingMadeIt(f: DriftFinding, exchange: Observed): boolean {
  if (f.kind !== "schema" && f.kind !== "pattern" && f.kind !== "enum") return false;
  const value = valueAt(exchange.body, f.pointer);
  if (typeof value === "string" && value.includes(REDACTED)) return true;
  if (exchange.personal === undefined) return false;
  const name = segmentsOf(f.pointer).at(-1);
  return name !== undefined && isPersonalField(name);
}

export function exchangeChecker(description: Description): ExchangeChecker {
  const validators: BodyValidators = bodyValidators(description.doc);
  const infos = new Map<OperationSpec, OperationInfo>();

  const infoOf = (op: OperationSpec): OperationInfo => {
    let info = infos.get(op);
    if (info) return info;
    const object = description.resolve({ $ref: op.pointer }, op.pointer).node as Json;
    const responses = new Map<string, DocumentedResponse>();
    for (const [key, raw] of Object.entries((object.responses ?? {}) as Record<string, Json>)) {
      const { node, pointer } = description.resolve(raw, `${op.pointer}/responses/${key}`);
      const media = new Map<string, string | undefined>();
      let json: DocumentedResponse["json"];
      for (const [type, spec] of Object.entries(op.responses[key]?.content ?? {})) {
        const essence = mediaTypeOf(type) ?? type;
        media.set(essence, spec.schemaPointer);
        if (!json && isJsonMediaType(essence))
          json = { mediaType: type, schemaPointer: spec.schemaPointer };
      }
      responses.set(key.toUpperCase(), {
        key,
        pointer,
        headers: new Set(Object.keys(node?.headers ?? {}).map((h) => h.toLowerCase())),
        media,
        json,
      });
    }
    info = { byStatus: new Map(), responses };
    infos.set(op, info);
    return info;
  };

  const responseFor = (info: OperationInfo, status: number): DocumentedResponse | null => {
    let found = info.byStatus.get(status);
    if (found === undefined) {
      found =
        info.responses.get(String(status)) ??
        info.responses.get(`${String(status)[0]}XX`) ??
        info.responses.get("DEFAULT") ??
        null;
      info.byStatus.set(status, found);
    }
    return found;
  };

  return {
    check(exchange, op, sink) {
      const status = exchange.status;
      if (op.evidence === "inferred")
        sink.finding(
          findingOf(
            op,
            status,
            "evidence",
            "",
            "x-evidence",
            "an operation described from inference answered in real traffic",
            `${op.pointer}/x-evidence`,
          ),
        );

      const info = infoOf(op);
      const response = responseFor(info, status);
      if (response === null) {
        const found = findingOf(
          op,
          status,
          "undocumented-status",
          "",
          "status",
          `status ${status} is not among the operation's responses`,
          `${op.pointer}/responses`,
        );
        const headers = Object.keys(exchange.headers).filter((name) => !isStandardHeader(name));
        found.facts =
          exchange.bodyState === "json" ? { headers, sample: exchange.body } : { headers };
        sink.finding(found);
        return undefined;
      }

      for (const name of Object.keys(exchange.headers))
        if (!response.headers.has(name) && !isStandardHeader(name))
          sink.finding({
            ...findingOf(
              op,
              status,
              "undocumented-header",
              "",
              "header",
              `header ${name} is not among the response's headers`,
              `${response.pointer}/headers`,
            ),
            header: name,
          });

      if (exchange.method === "HEAD" || status === 304) return undefined;
      const state = exchange.bodyState;
      if (state === "empty") {
        if (response.json?.schemaPointer !== undefined)
          sink.finding(
            findingOf(
              op,
              status,
              "schema",
              "",
              "content",
              "no body where the response has one",
              `${response.pointer}/content`,
            ),
          );
        return undefined;
      }
      if (state !== "json") {
        if (
          state === "not-json" &&
          response.media.size > 0 &&
          !hasMedia(response, exchange.mediaType)
        )
          sink.finding(
            findingOf(
              op,
              status,
              "undocumented-media-type",
              "",
              "content",
              `a ${exchange.mediaType ?? "untyped"} body where the response has ${[...response.media.keys()].join(", ")}`,
              `${response.pointer}/content`,
            ),
          );
        return state === "not-json" ? undefined : state;
      }
      if (!response.json) {
        sink.finding(
          findingOf(
            op,
            status,
            "undocumented-media-type",
            "",
            "content",
            response.media.size === 0
              ? "a JSON body where the response has none"
              : `a JSON body where the response has ${[...response.media.keys()].join(", ")}`,
            `${response.pointer}/content`,
          ),
        );
        return undefined;
      }
      if (exchange.mediaType !== undefined && !hasMedia(response, exchange.mediaType))
        sink.finding(
          findingOf(
            op,
            status,
            "undocumented-media-type",
            "",
            "content",
            `JSON sent as ${exchange.mediaType}, the response has ${response.json.mediaType}`,
            `${response.pointer}/content`,
          ),
        );
      const schemaPointer = response.json.schemaPointer;
      if (schemaPointer === undefined) return undefined;

      const body = exchange.body;
      const result = validators.check(schemaPointer, body);
      if (!result) return undefined;
      const context: FindingContext = {
        operationId: op.operationId,
        method: op.method.toUpperCase(),
        path: op.template,
        status,
        schemaPointer,
        body,
      };
      for (const f of classifyAjvErrors(result.violations, context))
        if (recordingMadeIt(f, exchange)) sink.setAside();
        else sink.finding(withFacts(f, body));
      for (const f of classifyAjvErrors(result.extras, context)) sink.finding(withFacts(f, body));
      return undefined;
    },
  };
}

/** The facts the overlay needs, read from the body at the finding's pointer. */
function withFacts(f: DriftFinding, body: unknown): Finding {
  let facts: FindingFacts | undefined;
  const value = () => valueAt(body, f.pointer);
  const property = () => segmentsOf(f.pointer).at(-1);
  switch (f.rule) {
    case "enum": {
      const v = value();
      if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean")
        facts = { enumValue: v };
      break;
    }
    case "type":
      facts = { type: jsonType(value()) };
      break;
    case "required":
      facts = { property: property() };
      break;
    case "additionalProperties":
    case "unevaluatedProperties":
      facts = { property: f.field ?? property(), sample: value() };
      break;
  }
  return facts ? { ...f, facts } : f;
}

function hasMedia(response: DocumentedResponse, mediaType: string | undefined): boolean {
  if (mediaType === undefined) return false;
  if (response.media.has(mediaType)) return true;
  const [type] = mediaType.split("/");
  return response.media.has(`${type}/*`) || response.media.has("*/*");
}
