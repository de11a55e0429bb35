// Hiboutik webhooks, from the description's `webhooks` section: every webhook's payload (the
// example, or one openapi-sampler builds from the schema) is sent as Hiboutik sends it (a form in
// PHP bracket notation) and decoded to its type, every value the text sent; the shape the parser
// enforces is the one the description gives (each declared field in a wrong shape is refused,
// undeclared fields are free); the bracket rules; the limits; and the handler's answers.
import { describe, expect, it } from "vitest";
import {
  hiboutikWebhookHandler,
  type HiboutikFormFields,
  parseHiboutikForm,
  parseHiboutikWebhook,
  type HiboutikWebhookEvent,
  WebhookError,
} from "../../src/hiboutik/index.js";
import { schemaValidator } from "../support/bundled.js";
import {
  type DerivedShape,
  describedWebhooks,
  formShapeOf,
  formText,
  phpForm,
  resolve,
} from "./support/description.js";

const { doc, webhooks } = describedWebhooks("hiboutik");
const validate = schemaValidator(doc);

/** Fields no payload schema declares: open payloads carry them, the sale's may. */
const EXTRA = { extra_field: "1", extra_group: { a: ["x", "y"], b: "0000-00-00 00:00:00" } };

const cases = webhooks.map((w) => {
  const payload = w.fromExample ? w.payload : { ...w.payload, ...EXTRA };
  const shape = formShapeOf(doc, resolve(doc, { $ref: `#${w.schemaPointer}` }));
  return { ...w, event: w.name as HiboutikWebhookEvent, payload, shape, body: phpForm(payload) };
});
const sale = cases.find((c) => c.name === "sale")!;

function refusal(parse: () => unknown): WebhookError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookError);
    return error as WebhookError;
  }
  throw new Error("not refused");
}

describe("the description's webhooks", () => {
  it("lists the 9 events of the vendor's FAQ, all form-encoded in PHP bracket notation", () => {
    expect(cases.map((c) => c.name)).toEqual([
      "sale",
      "sale_item",
      "payment",
      "customer",
      "store_credit",
      "product",
      "stock_order",
      "timestamp",
      "schedule",
    ]);
    for (const c of cases) expect(c.mediaType).toBe("application/x-www-form-urlencoded");
    const media = doc.webhooks.sale.post.requestBody.content["application/x-www-form-urlencoded"];
    expect(media["x-form-nesting"]).toBe("php-brackets");
    expect(sale.fromExample).toBe(true);
  });

  it.each(cases)(
    "$name: the payload validates against its schema",
    ({ schemaPointer, payload }) => {
      expect(validate(schemaPointer, payload)).toEqual([]);
    },
  );
});

describe("parseHiboutikWebhook", () => {
  it.each(cases)("$name: the form decodes to the payload, every value as sent", (c) => {
    expect(c.body).toContain(c.name === "sale" ? "line_items%5B0%5D%5Bproduct_id%5D=30" : "extra");
    const parsed = parseHiboutikWebhook(c.event, c.body);
    expect(parsed).toEqual(formText(c.payload));
    for (const input of [new TextEncoder().encode(c.body), new URLSearchParams(c.body)]) {
      expect(parseHiboutikWebhook(c.event, input)).toEqual(parsed);
    }
  });

  it("keeps the sale's text as sent: decimals, zero dates, flags, empty lists, percent and plus", () => {
    const parsed = parseHiboutikWebhook("sale", sale.body);
    expect(parsed.sale_id).toBe("34");
    expect(parsed.total).toBe("30.00");
    expect(parsed.pickup_date).toBe("0000-00-00 00:00:00");
    expect(parsed.sale_tags).toBe("");
    expect(parsed.line_items?.[0]?.tax_value).toBe("8.5");
    expect(parsed.line_items?.[0]?.vat).toBe("0.08500");
    expect(parsed.line_items?.[0]?.stock_available?.[0]?.stock_available).toBe("15");
    expect(parsed.taxes?.[0]?.tax_value_p).toBe("8.5%");
    expect(parsed.store_address?.city).toBe("SAINT LEU");
    // An open sale's date parts are `false` in JSON; the form says what it says.
    const open = parseHiboutikWebhook("sale", "sale_id=9&date_z_mm=false&date_z_dd=0&total=1.50");
    expect(open).toEqual({ sale_id: "9", date_z_mm: "false", date_z_dd: "0", total: "1.50" });
  });

  it("refuses each field the description declares when it comes in another shape", () => {
    const labels: string[] = [];
    for (const { label, payload, ok } of mutations(sale.shape, formText(sale.payload))) {
      const body = phpForm(payload as Record<string, unknown>);
      if (ok) {
        expect(() => parseHiboutikWebhook("sale", body), label).not.toThrow();
      } else {
        const error = refusal(() => parseHiboutikWebhook("sale", body));
        expect([error.reason, error.status], label).toEqual(["malformed-body", 400]);
        expect(error.message).toContain(label);
      }
      labels.push(label);
    }
    expect(labels.length).toBeGreaterThan(180);
    for (const label of [
      "sale_id",
      "line_items",
      "line_items[0][tags]",
      "line_items[0][stock_available][0][warehouse_id]",
      "taxes[0][tax_letter_id]",
      "store_address[iban]",
      "sale_tags",
    ])
      expect(labels).toContain(label);
    const { sale_id: _, ...noId } = sale.payload as Record<string, unknown>;
    expect(refusal(() => parseHiboutikWebhook("sale", phpForm(noId))).message).toContain("sale_id");
  });

  it("lets fields the description does not declare hold anything", () => {
    const parsed = parseHiboutikWebhook("sale", `${sale.body}&${phpForm(EXTRA)}&x[0][1][2]=3`);
    expect(parsed.extra_group).toEqual(EXTRA.extra_group);
    expect(parsed.x).toEqual([[["3"]]]);
    for (const c of cases.filter((x) => x.name !== "sale")) {
      expect(parseHiboutikWebhook(c.event, "a[b][0]=1&a[b][1]=2&c=")).toEqual({
        a: { b: ["1", "2"] },
        c: "",
      });
    }
  });

  it("is a TypeError for an event the description does not list", () => {
    expect(() => parseHiboutikWebhook("sales" as HiboutikWebhookEvent, "a=1")).toThrow(
      /parseHiboutikForm/,
    );
    expect(() => parseHiboutikWebhook("__proto__" as HiboutikWebhookEvent, "a=1")).toThrow(
      TypeError,
    );
  });
});

describe("PHP bracket notation", () => {
  const parse = (body: string) => parseHiboutikForm(body);

  it("nests objects and lists, appends with [], and keeps every value as text", () => {
    expect(parse("a[b][c]=&a[b][d]=1")).toEqual({ a: { b: { c: "", d: "1" } } });
    expect(parse("line_items[0][product_id]=30&line_items[1][product_id]=31")).toEqual({
      line_items: [{ product_id: "30" }, { product_id: "31" }],
    });
    expect(parse("a[]=x&a[]=y&a[]=")).toEqual({ a: ["x", "y", ""] });
    expect(parse("a[5]=x&a[]=y")).toEqual({ a: ["x", "y"] });
    expect(parse("a[]=x&a[7]=y&a[]=z")).toEqual({ a: ["x", "y", "z"] });
    expect(parse("m[][id]=1&m[][id]=2")).toEqual({ m: [{ id: "1" }, { id: "2" }] });
    expect(parse("s=SAINT+LEU&p=8.5%25&e=%E2%82%AC&amp=a%26b%3Dc")).toEqual({
      s: "SAINT LEU",
      p: "8.5%",
      e: "€",
      amp: "a&b=c",
    });
    expect(parse("%5Bx%5D=1&store_address%5Bcity%5D=Paris")).toEqual({
      "[x]": "1",
      store_address: { city: "Paris" },
    });
    expect(parse("")).toEqual({});
    expect(parse("&&a&b=")).toEqual({ a: "", b: "" });
    expect(parse("?a=1")).toEqual({ "?a": "1" });
  });

  it("makes a list of index keys in index order, whatever their size; other keys make an object", () => {
    expect(parse("x[999999999]=1")).toEqual({ x: ["1"] });
    expect(parse("x[1]=b&x[0]=a&x[10]=c")).toEqual({ x: ["a", "b", "c"] });
    expect(parse("x[01]=1")).toEqual({ x: { "01": "1" } });
    expect(parse("x[-1]=1")).toEqual({ x: { "-1": "1" } });
    expect(parse("x[1000000000]=1")).toEqual({ x: { "1000000000": "1" } });
    expect(parse("x[0]=a&x[b]=c")).toEqual({ x: { "0": "a", b: "c" } });
    expect(parse("0=a&1=b")).toEqual({ "0": "a", "1": "b" });
  });

  it("lets the last value win, text replacing a group and a group replacing text", () => {
    expect(parse("a=1&a=2")).toEqual({ a: "2" });
    expect(parse("a=1&a[b]=2")).toEqual({ a: { b: "2" } });
    expect(parse("a[b]=2&a=1")).toEqual({ a: "1" });
    expect(parse("a[0]=x&a[0][b]=y")).toEqual({ a: [{ b: "y" }] });
  });

  it("keeps a name that is not name[…][…] as one literal field", () => {
    expect(parse("a[b=1&a[b]c=2&[a]=3&a]b=4&a[b][=5")).toEqual({
      "a[b": "1",
      "a[b]c": "2",
      "[a]": "3",
      "a]b": "4",
      "a[b][": "5",
    });
    expect(parse("a[b[c]=1")).toEqual({ a: { "b[c": "1" } });
  });

  it("never reaches a prototype: __proto__ and constructor are fields like any other", () => {
    const parsed = parse(
      "__proto__[polluted]=1&a[__proto__][polluted]=2&constructor[prototype][polluted]=3&b[hasOwnProperty]=4",
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(JSON.stringify(parsed)).toBe(
      '{"__proto__":{"polluted":"1"},"a":{"__proto__":{"polluted":"2"}},' +
        '"constructor":{"prototype":{"polluted":"3"}},"b":{"hasOwnProperty":"4"}}',
    );
  });

  it("refuses a body over maxBytes (413), too many fields (413) or names nested too deep (400)", () => {
    const cases: [() => unknown, string, number][] = [
      [() => parseHiboutikForm("a=12345", { maxBytes: 6 }), "too-large", 413],
      [() => parseHiboutikForm("a=€€", { maxBytes: 5 }), "too-large", 413],
      [() => parseHiboutikForm(new Uint8Array(7), { maxBytes: 6 }), "too-large", 413],
      [() => parseHiboutikForm(new URLSearchParams("a=12345"), { maxBytes: 5 }), "too-large", 413],
      [() => parseHiboutikForm("a&b&c", { maxFields: 2 }), "too-large", 413],
      [() => parseHiboutikForm("a[1][2][3]=x", { maxDepth: 2 }), "malformed-body", 400],
      [() => parseHiboutikForm(`a${"[x]".repeat(9)}=1`), "malformed-body", 400],
      [() => parseHiboutikForm("x=1&".repeat(20_001)), "too-large", 413],
      [() => parseHiboutikForm(`x=${"a".repeat(1024 * 1024)}`), "too-large", 413],
    ];
    for (const [run, reason, status] of cases) {
      const error = refusal(run);
      expect([error.reason, error.status]).toEqual([reason, status]);
    }
    expect(parseHiboutikForm(`a${"[x]".repeat(8)}=1`)).toBeDefined();
    expect(parseHiboutikForm("a=12345", { maxBytes: 7 })).toEqual({ a: "12345" });
    expect(() => parseHiboutikForm("a=1", { maxDepth: 0 })).toThrow(TypeError);
    expect(() => parseHiboutikForm(42 as unknown as string)).toThrow(TypeError);
  });
});

/**
 * For each field a shape declares (nested ones through the first list item), a payload where it
 * has another shape (`ok: false`), and for text-or-list fields both allowed forms (`ok: true`).
 */
function* mutations(
  shape: DerivedShape,
  payload: unknown,
): Generator<{ label: string; payload: unknown; ok: boolean }> {
  if (typeof shape !== "object" || !("fields" in shape)) return;
  for (const [name, fieldShape] of Object.entries(shape.fields)) {
    const wrong = (value: unknown, ok = false) => ({
      label: name,
      payload: { ...(payload as object), [name]: value },
      ok,
    });
    if (fieldShape === "text") yield wrong({ nested: "1" });
    else if ("oneOf" in fieldShape) {
      yield wrong({ nested: "1" });
      yield wrong(["a"]);
      yield wrong("", true);
      yield wrong([{ a: "1" }, { b: "2" }], true);
    } else {
      yield wrong("text");
      const inner = "list" in fieldShape ? fieldShape.list : fieldShape;
      const current = (payload as Record<string, unknown>)[name];
      const item = "list" in fieldShape ? ((current as unknown[] | undefined)?.[0] ?? {}) : current;
      for (const m of mutations(inner, item ?? {})) {
        const value = "list" in fieldShape ? [m.payload] : m.payload;
        yield {
          label: nested("list" in fieldShape ? `${name}[0]` : name, m.label),
          payload: { ...(payload as object), [name]: value },
          ok: m.ok,
        };
      }
    }
  }
}

/** `line_items[0]` and `stock_available[0][warehouse_id]` make `line_items[0][stock_available][0][warehouse_id]`. */
function nested(prefix: string, label: string): string {
  const bracket = label.indexOf("[");
  return bracket < 0
    ? `${prefix}[${label}]`
    : `${prefix}[${label.slice(0, bracket)}]${label.slice(bracket)}`;
}

describe("hiboutikWebhookHandler", () => {
  const form = (url: string, body: string, headers: Record<string, string> = {}) =>
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body,
    });

  const handlerWith = (extra: Partial<Parameters<typeof hiboutikWebhookHandler>[0]> = {}) => {
    const calls: [string, unknown][] = [];
    const on = Object.fromEntries(
      cases.map(({ name }) => [name, (payload: unknown) => void calls.push([name, payload])]),
    );
    return { handler: hiboutikWebhookHandler({ on, ...extra }), calls };
  };

  it.each(cases)("$name: routed by the URL's last segment, answered 200", async (c) => {
    const { handler, calls } = handlerWith();
    const response = await handler(form(`https://app.example/hooks/hiboutik/${c.name}`, c.body));
    expect(response.status).toBe(200);
    expect(calls).toEqual([[c.name, formText(c.payload)]]);
    const slash = await handler(form(`https://app.example/${c.name}/?k=v`, c.body));
    expect(slash.status).toBe(200);
  });

  it("takes one fixed event, or a function of the request", async () => {
    const seen: unknown[] = [];
    const fixed = hiboutikWebhookHandler({
      event: "sale",
      on: { sale: (s) => void seen.push(s.sale_id) },
    });
    expect((await fixed(form("https://app.example/anything", sale.body))).status).toBe(200);
    const token = "b0e3d9c2";
    const byQuery = hiboutikWebhookHandler({
      // One unguessable URL per event: Hiboutik signs nothing, so the URL is the only secret.
      event: (request) => {
        const url = new URL(request.url);
        return url.searchParams.get("token") === token ? url.searchParams.get("event")! : undefined;
      },
      on: { sale: (s) => void seen.push(s.sale_id) },
    });
    const good = await byQuery(form(`https://app.example/h?event=sale&token=${token}`, sale.body));
    expect(good.status).toBe(200);
    const bad = await byQuery(form("https://app.example/h?event=sale&token=guess", sale.body));
    expect(bad.status).toBe(404);
    expect(seen).toEqual(["34", "34"]);
  });

  it("answers 404 for an event without callback, or passes it to onUnknown (200)", async () => {
    const { handler } = handlerWith();
    for (const path of ["/hiboutik/sales", "/", "/hiboutik/constructor"]) {
      const response = await handler(form(`https://app.example${path}`, "a=1"));
      expect(response.status, path).toBe(404);
    }
    const unknown: [string, HiboutikFormFields][] = [];
    const withUnknown = hiboutikWebhookHandler({
      on: { sale: () => undefined },
      onUnknown: (fields, event) => void unknown.push([event, fields]),
    });
    expect((await withUnknown(form("https://app.example/h/invoice", "a[0]=1"))).status).toBe(200);
    expect((await withUnknown(form("https://app.example/h/product", "b=2"))).status).toBe(200);
    expect(unknown).toEqual([
      ["invoice", { a: ["1"] }],
      ["product", { b: "2" }],
    ]);
  });

  it("answers 400 to a sale that is not the description's shape, or hands it to onUnknown", async () => {
    const { handler, calls } = handlerWith();
    const noId = await handler(form("https://app.example/sale", "total=1.00"));
    expect([noId.status, await noId.text()]).toEqual([400, "webhook refused: malformed-body"]);
    const wrongLines = await handler(form("https://app.example/sale", "sale_id=1&line_items=x"));
    expect(wrongLines.status).toBe(400);
    expect(calls).toEqual([]);
    const unknown: unknown[] = [];
    const withUnknown = hiboutikWebhookHandler({
      on: { sale: () => undefined },
      onUnknown: (fields, event) => void unknown.push([event, fields]),
    });
    const response = await withUnknown(form("https://app.example/sale", "total=1.00"));
    expect(response.status).toBe(200);
    expect(unknown).toEqual([["sale", { total: "1.00" }]]);
  });

  it("answers 400 to another media type, 413 past the limits, 405 to anything but POST", async () => {
    const { handler } = handlerWith({ maxBytes: 2048 });
    const json = await handler(
      form("https://app.example/sale", '{"sale_id":1}', { "content-type": "application/json" }),
    );
    expect(json.status).toBe(400);
    const withCharset = await handler(
      form("https://app.example/sale", "sale_id=1", {
        "content-type": "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
      }),
    );
    expect(withCharset.status).toBe(200);
    const noType = await handler(
      new Request("https://app.example/sale", {
        method: "POST",
        body: new TextEncoder().encode("sale_id=1"),
      }),
    );
    expect(noType.status).toBe(200);
    const large = await handler(
      form("https://app.example/sale", `sale_id=1&x=${"a".repeat(3000)}`),
    );
    expect([large.status, await large.text()]).toEqual([413, "webhook refused: too-large"]);
    const deep = await handler(form("https://app.example/sale", `sale_id=1&x${"[a]".repeat(9)}=1`));
    expect(deep.status).toBe(400);
    const get = await handler(new Request("https://app.example/sale"));
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
  });

  it("answers 500 when a callback throws, reports it, and answers a callback's Response", async () => {
    const reported: unknown[] = [];
    const failure = new Error("down");
    const handler = hiboutikWebhookHandler({
      on: {
        sale: () => {
          throw failure;
        },
        product: () => Response.json({ alerte: "<b>ok</b>" }),
      },
      onError: (error) => void reported.push(error),
    });
    const failed = await handler(form("https://app.example/sale", sale.body));
    expect([failed.status, await failed.text()]).toEqual([500, "the webhook callback failed"]);
    expect(reported).toEqual([failure]);
    const answered = await handler(form("https://app.example/product", "product_id=3"));
    expect(await answered.json()).toEqual({ alerte: "<b>ok</b>" });
  });

  it("is a TypeError to configure an event the description does not list, or a fixed event nobody handles", () => {
    const make = (options: unknown) => () =>
      hiboutikWebhookHandler(options as Parameters<typeof hiboutikWebhookHandler>[0]);
    expect(make({ on: { sales: () => 1 } })).toThrow(/sales/);
    expect(make({ on: { sale: 1 } })).toThrow(TypeError);
    expect(make({})).toThrow(TypeError);
    expect(make({ on: {}, event: "sale" })).toThrow(TypeError);
    expect(make({ on: {}, event: "" })).toThrow(TypeError);
    expect(make({ on: {}, event: "invoice", onUnknown: () => 1 })).not.toThrow();
    expect(make({ on: {}, maxFields: 1.5 })).toThrow(TypeError);
  });
});
