// Hiboutik's OAuth flow through hiboutikOAuth() against the Hiboutik sandbox's OAuth host: the
// authorize URL of the official client (response_type, client_id, state, scope, account,
// timestamp), the code exchange and the refresh at token.php with HTTP Basic client
// authentication, and a client with a token store that refreshes before expiry and on `code: 1`,
// once for 50 concurrent calls to the sandbox's API (which takes the tokens its OAuth host issued).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  createHiboutikClient,
  type HiboutikOAuthOptions,
  type HiboutikTokens,
  hiboutikOAuth,
  OAuthError,
  type TokenStore,
  TokenRefreshError,
} from "../../src/hiboutik/index.js";
import { type HiboutikSandbox, startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { base64 } from "../../src/core/base64.js";
import { expectNoSecret } from "../hostile/leak-check.js";
import { errorLog } from "../support/error-log.js";
import { settableClock, startRecorder, visit } from "../support/oauth-browser.js";

const ACCOUNT = "myshop";
const CLIENT_ID = "my-hiboutik-app";
const SECRET = "Wm4Kc9-hiboutik-client-secret-canary";
const REDIRECT = "https://app.example/hiboutik/installed";
const errors = errorLog();
const { caught } = errors;
const issued: string[] = [];
let sim: HiboutikSandbox | undefined;

afterEach(async () => {
  issued.push(...(sim?.oauth.issued ?? []));
  // Every answer the sandbox's API gave fits the description.
  expect(sim?.violations ?? []).toEqual([]);
  await sim?.close();
  sim = undefined;
});

/** The token endpoint's path, where the OAuth faults below are aimed. */
const TOKEN_PATH = "/oauth_api/token.php";

async function setup(options: Partial<HiboutikOAuthOptions> = {}, expiresIn = 16_000_000) {
  const clock = settableClock();
  sim = await startHiboutikSandbox({
    clock,
    validate: true,
    oauth: { clientId: CLIENT_ID, clientSecret: SECRET, redirectUri: REDIRECT, expiresIn },
  });
  // The API answers 20 ms late, so that concurrent calls overlap.
  sim.inject({ kind: "delay", ms: 20, times: Infinity, on: { operationId: "listStores" } });
  const oauth = hiboutikOAuth({
    account: ACCOUNT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    oauthUrl: sim.oauth.oauthUrl,
    clock,
    ...options,
  });
  return { sim, oauth, clock };
}

/** The API calls (`GET /stores`) the sandbox received, and those it refused (401). */
const apiCalls = (s: HiboutikSandbox) => s.requests.filter((r) => r.operationId === "listStores");
const apiRefused = (s: HiboutikSandbox) => apiCalls(s).filter((r) => r.status === 401);

async function approved(oauth: ReturnType<typeof hiboutikOAuth>) {
  const { url, state } = oauth.authorizeUrl();
  return { callback: await visit(url), state };
}

/** A store in memory that counts its writes. */
function store(initial: HiboutikTokens | { accessToken: string; refreshToken?: string }) {
  let current = initial;
  const saved: HiboutikTokens[] = [];
  const tokens: TokenStore<HiboutikTokens> = {
    get: async () => current,
    async set(next) {
      saved.push(next);
      current = next;
    },
  };
  return { tokens, saved, current: () => current };
}

describe("hiboutikOAuth against a Hiboutik OAuth host", () => {
  it("authorize URL → approval → code → tokens with their absolute expiry; refresh", async () => {
    const { sim, oauth, clock } = await setup();
    const { url, state } = oauth.authorizeUrl({ scope: ["read_products", "write_sales"] });
    expect(url.startsWith(`${sim.oauth.oauthUrl}/authorize/?`)).toBe(true);
    expect(Object.fromEntries(new URL(url).searchParams)).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      scope: "read_products write_sales",
      account: ACCOUNT,
      timestamp: String(clock.now() / 1000),
      state,
    });
    expect(new URL(oauth.authorizeUrl().url).searchParams.get("scope")).toBe("basic_api");

    const callback = await visit(url);
    expect(callback.startsWith(`${REDIRECT}?`)).toBe(true);
    const sentAt = clock.now();
    const tokens = await oauth.handleCallback(callback, { expectedState: state });
    expect(tokens).toMatchObject({
      accessToken: sim.oauth.issued.at(-2),
      refreshToken: sim.oauth.issued.at(-1),
      expiresAt: sentAt + 16_000_000_000,
      response: { token_type: "Bearer", scope: "basic_api", expires_in: 16_000_000 },
    });
    expect(Object.fromEntries(sim.oauth.bodies.at(-1)!)).toEqual({
      grant_type: "authorization_code",
      code: new URL(callback).searchParams.get("code"),
    });

    clock.advance(1_000);
    const renewed = await oauth.refreshTokens(tokens.refreshToken!);
    expect(renewed.accessToken).toBe(sim.oauth.issued.at(-2));
    expect(renewed.refreshToken).toBe(sim.oauth.issued.at(-1));
    expect(renewed.expiresAt).toBe(sentAt + 1_000 + 16_000_000_000);
    expect(Object.fromEntries(sim.oauth.bodies.at(-1)!)).toEqual({
      grant_type: "refresh_token",
      refresh_token: tokens.refreshToken,
    });
    // The refresh token is used up by its refresh.
    expect(await caught(oauth.refreshTokens(tokens.refreshToken!))).toMatchObject({
      name: "OAuthError",
      status: 400,
      error: "invalid_grant",
    });
  });

  it("refuses a wrong state and reports a denial, sending nothing", async () => {
    const { sim, oauth } = await setup();
    const { callback } = await approved(oauth);
    const err = await caught(
      oauth.handleCallback(callback, { expectedState: oauth.authorizeUrl().state }),
    );
    expect(err).toBeInstanceOf(OAuthError);
    sim.oauth.user = "denies";
    const denied = await approved(oauth);
    expect(
      await caught(oauth.handleCallback(denied.callback, { expectedState: denied.state })),
    ).toMatchObject({ error: "access_denied", errorDescription: "The user denied access" });
    expect(sim.oauth.stats.token).toBe(0);
  });

  it("a used or expired code is refused", async () => {
    const { oauth, clock } = await setup();
    const first = await approved(oauth);
    await oauth.handleCallback(first.callback, { expectedState: first.state });
    expect(
      await caught(oauth.handleCallback(first.callback, { expectedState: first.state })),
    ).toMatchObject({ name: "OAuthError", status: 400 });
    const second = await approved(oauth);
    clock.advance(10 * 60_000 + 1);
    expect(
      await caught(oauth.handleCallback(second.callback, { expectedState: second.state })),
    ).toMatchObject({ name: "OAuthError", status: 400 });
  });

  it("an HTML page, a redirect and an echo of the refresh token are OAuthErrors, redacted", async () => {
    const { sim, oauth } = await setup();
    const other = await startRecorder();
    try {
      const { refreshToken } = sim.oauth.issueTokens();
      // An error page that repeats the request's body, as some do.
      sim.inject({
        status: 503,
        contentType: "text/html",
        body: `<!DOCTYPE html><html><body><h1>Service Unavailable</h1><pre>grant_type=refresh_token&refresh_token=${refreshToken}</pre></body></html>`,
        on: { path: TOKEN_PATH },
      });
      expect(await caught(oauth.refreshTokens(refreshToken!))).toMatchObject({
        name: "OAuthError",
        status: 503,
      });
      sim.inject({
        kind: "redirect",
        location: `${other.origin}${TOKEN_PATH}`,
        status: 302,
        on: { path: TOKEN_PATH },
      });
      expect(await caught(oauth.refreshTokens(refreshToken!))).toMatchObject({ status: 302 });
      expect(other.received).toEqual([]);
      sim.inject({ kind: "echo", on: { path: TOKEN_PATH } });
      const echoed = (await caught(oauth.refreshTokens(refreshToken!))) as OAuthError;
      expect(echoed.errorDescription).toBe(
        "got grant_type=refresh_token&refresh_token=[redacted] with Basic [redacted]",
      );
    } finally {
      await other.close();
    }
  });

  describe("a client with a token store", () => {
    async function client(expiresIn = 3_600) {
      const setupResult = await setup({}, expiresIn);
      const { sim, oauth } = setupResult;
      const issuedTokens = sim.oauth.issueTokens();
      const first: HiboutikTokens = {
        accessToken: issuedTokens.accessToken,
        refreshToken: issuedTokens.refreshToken,
        expiresAt: setupResult.clock.now() + expiresIn * 1000,
        response: { access_token: issuedTokens.accessToken, token_type: "Bearer" },
      };
      const memory = store(first);
      const hiboutik = createHiboutikClient(
        { account: ACCOUNT, tokens: memory.tokens, oauth },
        { baseUrl: sim.url, clock: setupResult.clock, throwOnError: true },
      );
      return { ...setupResult, memory, hiboutik };
    }
    const fifty = (hiboutik: Awaited<ReturnType<typeof client>>["hiboutik"]) =>
      Promise.all(Array.from({ length: 50 }, () => hiboutik.GET("/stores")));

    it("refreshes once before expiry for 50 concurrent calls, saves once, uses the new token", async () => {
      const { sim, hiboutik, memory, clock } = await client();
      clock.advance(3_600_000 - 30_000); // inside the 60 s margin
      const results = await fifty(hiboutik);
      expect(results.every((r) => r.response.status === 200)).toBe(true);
      expect(sim.oauth.stats.refreshes).toBe(1);
      expect(sim.oauth.stats.token).toBe(1);
      expect(memory.saved).toHaveLength(1);
      expect(memory.current().accessToken).toBe(sim.oauth.issued.at(-2));
      expect(apiRefused(sim)).toHaveLength(0);
    });

    it("refreshes once when Hiboutik answers code 1 to 50 concurrent calls, then replays each", async () => {
      const { sim, hiboutik, memory } = await client();
      sim.oauth.expireAccessTokens(); // the store still believes its token valid
      const results = await fifty(hiboutik);
      expect(results.every((r) => r.response.status === 200)).toBe(true);
      expect(sim.oauth.stats.refreshes).toBe(1);
      expect(sim.oauth.stats.token).toBe(1); // one request to the token endpoint
      expect(apiRefused(sim)).toHaveLength(50);
      expect(apiCalls(sim)).toHaveLength(100);
      expect(memory.saved).toHaveLength(1);
    });

    it("an expired token whose refresh fails is TokenRefreshError; a valid one is still used", async () => {
      const { sim, hiboutik, clock } = await client();
      clock.advance(3_600_000 - 30_000);
      sim.inject({
        status: 500,
        contentType: "text/html",
        body: "<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>",
        on: { path: TOKEN_PATH },
      });
      // Not expired yet: the calls go on with the current token, and the next call refreshes.
      await hiboutik.GET("/stores");
      expect(sim.oauth.stats.refreshes).toBe(0);
      await hiboutik.GET("/stores");
      expect(sim.oauth.stats.refreshes).toBe(1);
      expect(sim.oauth.stats.token).toBe(1); // one request answered by the token endpoint

      clock.advance(3_600_000);
      sim.inject({ kind: "echo", status: 400, on: { path: TOKEN_PATH } });
      const err = await caught(hiboutik.GET("/stores"));
      expect(err).toBeInstanceOf(TokenRefreshError);
      expect((err as TokenRefreshError).status).toBe(400);
      expect((err as Error).message).toMatch(/could not be refreshed: the OAuth server refused/);
    });
  });

  afterAll(() => {
    expect(errors.seen.length).toBeGreaterThanOrEqual(9);
    const canaries = [SECRET, base64(`${CLIENT_ID}:${SECRET}`), ...issued];
    for (const err of errors.seen) expectNoSecret(err, canaries, String(err));
  });
});
