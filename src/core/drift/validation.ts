// `validateResponses` for one client: each answer's status, headers and (2xx) body checked against
// the description, and what is found reported once per operation and kind (`onDrift`), or handed
// back to be thrown. An operation's validators load on its first answer; afterwards a check is
// synchronous work only (Ajv's compiled code, a few set lookups).
import { classifyAjvErrors, type DriftFinding, type DriftKind, escapePointer } from "./findings.js";
import { undocumentedField } from "./fields.js";
import { undocumentedHeaders } from "./headers.js";
import type { ValidateResponses } from "./options.js";
import { documentedStatus, type OperationEntry, type ResponseValidator } from "./validators.js";

export interface Answer {
  entry: OperationEntry;
  method: string;
  path: string;
  response: Response;
  /** The parsed body (`data` of a 2xx); undefined when there was none. */
  body: unknown;
}

type Validators = Readonly<Record<string, ResponseValidator>>;

/** Kinds that "throw" throws for, on a 2xx: the body or the status is not what was promised. */
const THROWN: ReadonlySet<DriftKind> = new Set([
  "schema",
  "enum",
  "pattern",
  "undocumented-status",
]);

export class ResponseValidation {
  readonly #mode: Exclude<ValidateResponses, "off">;
  readonly #onDrift: (finding: DriftFinding) => void;
  readonly #redact: (text: string) => string;
  /** `operationId kind` of what was reported already. */
  readonly #reported = new Set<string>();
  /** Each operation's validators once loaded, or the promise of them. */
  readonly #validators = new Map<string, Validators | Promise<Validators>>();

  constructor(
    mode: Exclude<ValidateResponses, "off">,
    onDrift: (finding: DriftFinding) => void,
    redact: (text: string) => string,
  ) {
    this.#mode = mode;
    this.#onDrift = onDrift;
    this.#redact = redact;
  }

  /**
   * Checks an answer: reports what is new (once per operation and kind), and returns the findings
   * to throw for (empty unless "throw" and a 2xx does not fit). Rejects when the operation's
   * validators do not load.
   */
  async check(answer: Answer): Promise<DriftFinding[]> {
    const found = await this.#findings(answer);
    const thrown: DriftFinding[] = [];
    const ok = answer.response.ok;
    for (const finding of found) {
      if (this.#mode === "throw" && ok && THROWN.has(finding.kind)) thrown.push(finding);
      else if (this.#isNew(finding.operationId, finding.kind)) {
        this.#reported.add(`${finding.operationId} ${finding.kind}`);
        this.#onDrift(finding);
      }
    }
    return thrown;
  }

  #isNew(operationId: string, kind: DriftKind): boolean {
    return !this.#reported.has(`${operationId} ${kind}`);
  }

  async #findings({ entry, method, path, response, body }: Answer): Promise<DriftFinding[]> {
    const { operationId } = entry;
    const status = response.status;
    const base = { operationId, method, path, status };
    const operationPath = `#/paths/${escapePointer(path)}/${method.toLowerCase()}/responses`;
    const key = documentedStatus(status, entry.statuses);
    if (key === undefined) {
      const message = this.#redact(`status ${status} is not documented`);
      return [
        {
          kind: "undocumented-status",
          ...base,
          pointer: "",
          rule: "status",
          schemaPath: operationPath,
          message,
        },
      ];
    }

    const findings: DriftFinding[] = [];
    if (this.#isNew(operationId, "undocumented-header")) {
      const names: string[] = [];
      response.headers.forEach((_, name) => names.push(name));
      const [header] = undocumentedHeaders(names, entry.headers?.[key]);
      if (header !== undefined) {
        findings.push({
          kind: "undocumented-header",
          ...base,
          pointer: "",
          rule: "header",
          schemaPath: `${operationPath}/${escapePointer(key)}/headers`,
          message: this.#redact(`header ${header} is not declared for ${key}`),
          header,
        });
      }
    }
    if (!response.ok || body === undefined || entry.load === undefined) return findings;

    const validator = (await this.#validatorsOf(entry))[key];
    if (validator === undefined) return findings;
    const { validate } = validator;
    if (!validate(body)) {
      const context = { ...base, schemaPointer: validator.schemaPath, body, redact: this.#redact };
      findings.push(...classifyAjvErrors(validate.errors, context));
    }
    if (validator.fields && this.#isNew(operationId, "undocumented-field")) {
      const extra = undocumentedField(body, validator.fields);
      if (extra !== undefined) {
        findings.push({
          kind: "undocumented-field",
          ...base,
          pointer: extra.pointer,
          rule: "additionalProperties",
          schemaPath: validator.schemaPath,
          message: this.#redact(`${extra.pointer} is not in the description`),
          field: extra.field,
        });
      }
    }
    return findings;
  }

  #validatorsOf(entry: OperationEntry): Validators | Promise<Validators> {
    let validators = this.#validators.get(entry.operationId);
    if (validators === undefined) {
      const loading = entry.load!().then((module) => {
        this.#validators.set(entry.operationId, module.responses);
        return module.responses;
      });
      // A failed load is not tried again: every answer of the operation fails with its error.
      loading.catch(() => undefined);
      this.#validators.set(entry.operationId, (validators = loading));
    }
    return validators;
  }
}
