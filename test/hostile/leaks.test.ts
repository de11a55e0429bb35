// Every way a server can try to hand a credential back to whoever logs what the client returns: an
// echoing error body (thrown, and returned as `error`), an HTML page with the secret across the
// cut, a 200 that is not JSON, long JSON whose summary is cut, paging headers quoted in errors, SO's
// envelope message, Hike's refresh error, and credentials that a header cannot carry.
import { describe, expect, it } from "vitest";
import {
  ApiError,
  InvalidResponseError,
  PaginationError,
  TokenRefreshError,
} from "../../src/core/errors.js";
import { hubrisePageInfo } from "../../src/hubrise/index.js";
import { createHiboutikClient } from "../../src/hiboutik/index.js";
import { createHikeClient } from "../../src/hike/index.js";
import { createHubriseClient } from "../../src/hubrise/index.js";
import { createSubscriptionsOnlyClient } from "../../src/subscriptions-only/index.js";
import { expectNoSecret } from "./leak-check.js";
import { type Answer, json, startHostileServer, text } from "./server.js";
import { ALL_CANARIES, hiboutik, hike, hubrise, subscriptionsOnly, VENDORS } from "./vendors.js";

async function against<T>(answer: Answer, run: (origin: string) => Promise<T>): Promise<T> {
  const server = await startHostileServer(answer);
  try {
    return await run(server.origin);
  } finally {
    await server.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

describe.each(VENDORS)("$name: nothing the client hands back holds a credential", (vendor) => {
  const echo = vendor.secrets.join(" and ") + ` ${vendor.credential}`;

  it("an error body that echoes the credentials: thrown, and returned as `error`", async () => {
    const answer: Answer = (_req, res) =>
      json(res, 400, vendor.errorBody(`bad token ${echo}`), { "X-Echo": vendor.credential });
    await against(answer, async (origin) => {
      const thrown = await rejection(vendor.read(vendor.create(origin, { throwOnError: true })));
      expect(thrown).toBeInstanceOf(ApiError);
      expectNoSecret(thrown, ALL_CANARIES, "thrown");
      if (vendor === subscriptionsOnly) return; // SO always throws (its client unwraps envelopes)
      const client = vendor.create(origin);
      const result = await client.GET(...readArgs(vendor));
      expect(result.error).toBeDefined();
      expect(JSON.stringify(result.error)).toContain("[redacted]");
      expectNoSecret(result.error, ALL_CANARIES, "returned error");
      // The whole result, as a logger prints it: the response's headers echoed the credential.
      expect(result.response.headers.get("X-Echo")).toContain("[redacted]");
      expectNoSecret(result, ALL_CANARIES, "returned result");
    });
  });

  it("an HTML page with the credential across the 500-character cut", async () => {
    await against(
      (_req, res) => text(res, 400, `${"<p>".repeat(165)}${echo}</p>`),
      async (origin) => {
        const err = await rejection(vendor.read(vendor.create(origin)));
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).bodyText).toBeDefined();
        expectNoSecret(err, ALL_CANARIES, "HTML page");
      },
    );
  });

  it("a JSON body whose summary is cut at 300 characters across the credential", async () => {
    for (let pad = 270; pad < 300; pad += 3) {
      await against(
        (_req, res) => json(res, 400, { pad: "x".repeat(pad), message: echo }),
        async (origin) => {
          const err = await rejection(vendor.read(vendor.create(origin, { throwOnError: true })));
          expectNoSecret(err, ALL_CANARIES, `summary, pad ${pad}`);
        },
      );
    }
  });

  it("a 200 that is not JSON: the parser's message (which quotes the body) is not kept", async () => {
    await against(
      (_req, res) => text(res, 200, `${vendor.credential} ${echo}`),
      async (origin) => {
        const err = await rejection(vendor.read(vendor.create(origin)));
        expect(err).toBeInstanceOf(InvalidResponseError);
        expectNoSecret(err, ALL_CANARIES, "200 not JSON");
      },
    );
  });

  it("a credential that a header cannot carry, or none, is refused without being echoed", () => {
    const make = {
      HubRise: (v: unknown) => createHubriseClient({ accessToken: v as string }),
      Hiboutik: (v: unknown) =>
        createHiboutikClient({ account: "shop", login: "a@b.c", apiKey: v as string }),
      "Subscriptions Only": (v: unknown) =>
        createSubscriptionsOnlyClient({ storeId: "STO-1", apiKey: v as string }),
      Hike: (v: unknown) => createHikeClient({ accessToken: v as string }),
    }[vendor.name];
    // Two lines of a secrets file, a NUL, a DEL; then nothing at all, and not a string.
    for (const bad of ["\nsecond-line", "\u0000", "\u007f"].map((c) => vendor.secrets[0] + c)) {
      let err: unknown;
      try {
        make(bad);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(TypeError);
      expectNoSecret(err, ALL_CANARIES, "bad credential");
    }
    for (const missing of ["", undefined, 42]) expect(() => make(missing)).toThrow(TypeError);
  });
});

function readArgs(vendor: (typeof VENDORS)[number]): [string, unknown] {
  switch (vendor) {
    case hubrise:
      return ["/location", {}];
    case hiboutik:
      return ["/customer/{customers_id}", { params: { path: { customers_id: 7 } } }];
    case hike:
      return ["/products/get/{id}", { params: { path: { id: 7 } } }];
    default:
      throw new Error(`no raw read for ${vendor.name}`);
  }
}

describe("paging errors quote headers only redacted", () => {
  it("HubRise: a cursor header that echoes the token, in the loop's errors and in hubrisePageInfo()", async () => {
    const token = hubrise.secrets[0]!;
    await against(
      (_req, res) => json(res, 200, [{ id: 1 }], { "X-Cursor-Next": `${token} x` }),
      async (origin) => {
        const client = hubrise.create(origin);
        const err = await rejection(drain(client.paginate("/location/orders")));
        expect(err).toBeInstanceOf(PaginationError);
        expectNoSecret(err, ALL_CANARIES, "paging error");
        const { response } = await client.GET("/location/orders");
        let info: unknown;
        try {
          hubrisePageInfo(response);
        } catch (e) {
          info = e;
        }
        expect(info).toBeInstanceOf(PaginationError);
        expectNoSecret(info, ALL_CANARIES, "hubrisePageInfo");
      },
    );
    // A cursor that *is* the token, sent back twice: the repeated-cursor error quotes it redacted.
    await against(
      (_req, res) => json(res, 200, [{ id: Math.random() }], { "X-Cursor-Next": token }),
      async (origin) => {
        const err = await rejection(drain(hubrise.create(origin).paginate("/location/orders")));
        expect((err as PaginationError).reason).toBe("repeated-cursor");
        expectNoSecret(err, ALL_CANARIES, "repeated cursor");
      },
    );
  });

  it("Hiboutik: Content-Range and Link headers that echo the credentials", async () => {
    const echo = hiboutik.secrets.join(" ");
    const forged: Record<string, string>[] = [
      { "Content-Range": `1-1/${echo}` },
      { Link: `<https://x/api/customers/?p=${hiboutik.secrets[0]}>; rel="next"` },
      { Link: `<${echo}>` },
    ];
    for (const headers of forged) {
      await against(
        (_req, res) => json(res, 200, [{ customers_id: 1 }], headers),
        async (origin) => {
          const err = await rejection(drain(hiboutik.create(origin).paginate("/customers/")));
          expect(err).toBeInstanceOf(PaginationError);
          expectNoSecret(err, ALL_CANARIES, JSON.stringify(headers));
        },
      );
    }
  });

  it("Subscriptions Only: the envelope's message echoes the key and its Basic value", async () => {
    const echo = subscriptionsOnly.secrets.join(" ");
    await against(
      (_req, res) =>
        json(res, 400, { status: "400", message: `Bad ${echo}`, body: { text: echo } }),
      async (origin) => {
        const err = await rejection(subscriptionsOnly.read(subscriptionsOnly.create(origin)));
        expect((err as { envelopeMessage?: string }).envelopeMessage).toContain("[redacted]");
        expectNoSecret(err, ALL_CANARIES, "SO envelope");
      },
    );
  });

  it("Hike: the token endpoint's error echoes the refresh token across the 200-character cut", async () => {
    for (let pad = 185; pad < 200; pad += 2) {
      await against(
        (req, res) => {
          if (req.url.startsWith("/oauth/token")) {
            return text(res, 400, `${"e".repeat(pad)} ${hike.secrets.join(" ")}`);
          }
          json(res, 401, {}, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
        },
        async (origin) => {
          const err = await rejection(hike.read(hike.create(origin)));
          expect(err).toBeInstanceOf(TokenRefreshError);
          expectNoSecret(err, ALL_CANARIES, `refresh error, pad ${pad}`);
        },
      );
    }
  });
});

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}
