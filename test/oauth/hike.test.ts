// Hike's OAuth flow through hikeOAuth() against the Hike sandbox's OAuth server: the documented
// authorize URL (response_type, client_id, redirect_uri, state, scope all), and the token endpoint
// as third-party clients use it (client_id and client_secret as form fields; authorization_code
// with the same redirect_uri, refresh_token). A client with a token store refreshes before expiry
// and on a 401 `invalid_token`, once for 50 concurrent calls; the fixed-token form keeps working.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  createHikeClient,
  type HikeOAuthOptions,
  type HikeTokens,
  hikeOAuth,
  OAuthError,
  type TokenStore,
  TokenRefreshError,
} from "../../src/hike/index.js";
import { expectNoSecret } from "../hostile/leak-check.js";
import { errorLog } from "../support/error-log.js";
import {
  type FaultTarget,
  type HikeSandbox,
  type HikeSandboxOptions,
  startHikeSandbox,
} from "../../src/hike/sandbox/index.js";
import { settableClock, startRecorder, visit } from "../support/oauth-browser.js";

const CLIENT_ID = "MyApp-00a29c4789";
const SECRET = "Jt5Rw8-hike-app-secret-canary";
const REDIRECT = "https://example.com/cb";
const errors = errorLog();
const { caught } = errors;
const issued: string[] = [];
/** Faults of the token endpoint only (the API's calls go on). */
const TOKEN: FaultTarget = { method: "POST", path: "/oauth/token" };
let sim: HikeSandbox | undefined;

afterEach(async () => {
  const closing = sim;
  sim = undefined;
  issued.push(...(closing?.oauth.issued ?? []));
  await closing?.close();
  expect(closing?.violations ?? []).toEqual([]);
});

/** API calls the sandbox refused for their token. */
const refusedCalls = (s: HikeSandbox) => s.requests.filter((r) => r.status === 401).length;

async function setup(
  options: Partial<HikeOAuthOptions> = {},
  oauthOptions: HikeSandboxOptions["oauth"] = {},
) {
  const clock = settableClock();
  // No rate limits: 50 concurrent calls and their replays would spend the minute's 60.
  sim = await startHikeSandbox({
    clock,
    validate: true,
    limits: false,
    credentials: { clientId: CLIENT_ID, clientSecret: SECRET },
    oauth: { expiresIn: 86_400, ...oauthOptions },
  });
  const oauth = hikeOAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    oauthUrl: sim.oauthUrl,
    clock,
    ...options,
  });
  return { sim, oauth, clock };
}

async function approved(oauth: ReturnType<typeof hikeOAuth>) {
  const { url, state } = oauth.authorizeUrl({ redirectUri: REDIRECT });
  return { callback: await visit(url), state };
}

describe("hikeOAuth against the Hike sandbox's OAuth server", () => {
  it("authorize URL → approval → code → tokens with their absolute expiry; refresh", async () => {
    const { sim, oauth, clock } = await setup();
    const { url, state } = oauth.authorizeUrl({ redirectUri: REDIRECT });
    expect(url.startsWith(`${sim.oauthUrl}/authorize?`)).toBe(true);
    expect(Object.fromEntries(new URL(url).searchParams)).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: "all",
      state,
    });
    const callback = await visit(url);
    const sentAt = clock.now();
    const tokens = await oauth.handleCallback(callback, {
      expectedState: state,
      redirectUri: REDIRECT,
    });
    expect(tokens).toMatchObject({
      accessToken: sim.oauth.issued.at(-2),
      refreshToken: sim.oauth.issued.at(-1),
      expiresIn: 86_400,
      expiresAt: sentAt + 86_400_000,
      response: { token_type: "bearer", expires_in: 86_400 },
    });
    expect(Object.fromEntries(sim.oauth.bodies.at(-1)!)).toEqual({
      grant_type: "authorization_code",
      code: new URL(callback).searchParams.get("code"),
      redirect_uri: REDIRECT,
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });

    const renewed = await oauth.refreshTokens(tokens.refreshToken!);
    expect(renewed.accessToken).toBe(sim.oauth.issued.at(-2));
    expect(Object.fromEntries(sim.oauth.bodies.at(-1)!)).toEqual({
      grant_type: "refresh_token",
      refresh_token: tokens.refreshToken,
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });
  });

  it("keeps the refresh token when a refresh's answer has none", async () => {
    const { sim, oauth } = await setup({}, { omitRefreshTokenOnRefresh: true });
    const { refreshToken } = sim.oauth.issueTokens();
    const renewed = await oauth.refreshTokens(refreshToken!);
    expect(renewed.refreshToken).toBe(refreshToken);
    expect(renewed.response).not.toHaveProperty("refresh_token");
  });

  it("a wrong state, a denial, a used or expired code and another redirect_uri are refused", async () => {
    const { sim, oauth, clock } = await setup();
    const { callback, state } = await approved(oauth);
    expect(
      await caught(
        oauth.handleCallback(callback, {
          expectedState: oauth.authorizeUrl({ redirectUri: REDIRECT }).state,
          redirectUri: REDIRECT,
        }),
      ),
    ).toBeInstanceOf(OAuthError);
    expect(sim.oauth.stats.token).toBe(0);

    await oauth.handleCallback(callback, { expectedState: state, redirectUri: REDIRECT });
    expect(
      await caught(oauth.handleCallback(callback, { expectedState: state, redirectUri: REDIRECT })),
    ).toMatchObject({ name: "OAuthError", status: 400, error: "invalid_grant" });

    const other = await approved(oauth);
    expect(
      await caught(
        oauth.handleCallback(other.callback, {
          expectedState: other.state,
          redirectUri: "https://example.com/elsewhere",
        }),
      ),
    ).toMatchObject({ status: 400 });

    const late = await approved(oauth);
    clock.advance(10 * 60_000 + 1);
    expect(
      await caught(
        oauth.handleCallback(late.callback, { expectedState: late.state, redirectUri: REDIRECT }),
      ),
    ).toMatchObject({ status: 400 });

    sim.oauth.user = "denies";
    const denied = await approved(oauth);
    expect(
      await caught(
        oauth.handleCallback(denied.callback, {
          expectedState: denied.state,
          redirectUri: REDIRECT,
        }),
      ),
    ).toMatchObject({ error: "access_denied" });
  });

  it("faults of the token endpoint: HTML page, redirect elsewhere, slow answer, echo", async () => {
    const { sim, oauth } = await setup({ timeouts: { headersMs: 100 } });
    const other = await startRecorder();
    try {
      const { refreshToken } = sim.oauth.issueTokens();
      // An HTML error page echoing the form the client sends.
      const form = `grant_type=refresh_token&refresh_token=${refreshToken}&client_id=${CLIENT_ID}&client_secret=${SECRET}`;
      const page = `<!DOCTYPE html><html><body><h1>Internal Server Error</h1><pre>${form}</pre></body></html>`;
      sim.inject({ status: 500, contentType: "text/html", body: page, on: TOKEN });
      const html = await caught(oauth.refreshTokens(refreshToken!));
      expect(html).toMatchObject({ name: "OAuthError", status: 500 });
      // The page echoed the form: the refresh token and the client secret are redacted.
      expect((html as Error).message).toContain(
        "grant_type=refresh_token&refresh_token=[redacted]&client_id=MyApp-00a29c4789&client_secret=[redacted]",
      );
      sim.inject({ kind: "redirect", location: `${other.origin}/oauth/token`, on: TOKEN });
      expect(await caught(oauth.refreshTokens(refreshToken!))).toMatchObject({ status: 307 });
      expect(other.received).toEqual([]);
      sim.inject({ kind: "delay", ms: 2_000, on: TOKEN });
      expect(await caught(oauth.refreshTokens(refreshToken!))).toMatchObject({
        name: "OAuthError",
        status: undefined,
      });
      sim.inject({ kind: "echo", on: TOKEN });
      const echoed = (await caught(oauth.refreshTokens(refreshToken!))) as OAuthError;
      expect(echoed.errorDescription).toBe(
        "got grant_type=refresh_token&refresh_token=[redacted]&client_id=MyApp-00a29c4789&client_secret=[redacted] with no Authorization",
      );
    } finally {
      await other.close();
    }
  });

  describe("a client with a token store", () => {
    async function client() {
      const setupResult = await setup();
      const { sim, oauth, clock } = setupResult;
      const first = sim.oauth.issueTokens();
      let current: HikeTokens = { ...first, expiresAt: clock.now() + 86_400_000 };
      const saved: HikeTokens[] = [];
      const tokens: TokenStore<HikeTokens> = {
        get: () => current,
        set: (next) => {
          saved.push(next);
          current = next;
        },
      };
      const hike = createHikeClient(
        { tokens, oauth },
        { baseUrl: sim.url, clock, limits: false, throwOnError: true },
      );
      return { ...setupResult, hike, saved, current: () => current };
    }
    const fifty = (hike: Awaited<ReturnType<typeof client>>["hike"]) =>
      Promise.all(
        Array.from({ length: 50 }, () =>
          hike.GET("/products/get/{id}", { params: { path: { id: 7 } } }),
        ),
      );

    it("refreshes once before expiry for 50 concurrent calls", async () => {
      const { sim, hike, saved, clock, current } = await client();
      clock.advance(86_400_000 - 59_000);
      const results = await fifty(hike);
      expect(results.every((r) => r.data.id === 7)).toBe(true);
      expect(sim.oauth.stats.refreshes).toBe(1);
      expect(sim.oauth.stats.token).toBe(1); // one request to the token endpoint
      expect(saved).toHaveLength(1);
      expect(current().accessToken).toBe(sim.oauth.issued.at(-2));
      expect(refusedCalls(sim)).toBe(0);
    });

    it("refreshes once on 50 concurrent invalid_token refusals, then replays each", async () => {
      const { sim, hike, saved } = await client();
      sim.expireAccessTokens();
      const results = await fifty(hike);
      expect(results.every((r) => r.data.id === 7)).toBe(true);
      expect(sim.oauth.stats.refreshes).toBe(1);
      expect(sim.oauth.stats.token).toBe(1); // one request to the token endpoint
      expect(refusedCalls(sim)).toBe(50);
      expect(saved).toHaveLength(1);
    });

    it("a refused refresh is TokenRefreshError with the token endpoint's status", async () => {
      const { sim, hike } = await client();
      sim.expireAccessTokens();
      sim.inject({ kind: "echo", status: 400, on: TOKEN });
      const err = await caught(hike.GET("/products/get/{id}", { params: { path: { id: 7 } } }));
      expect(err).toBeInstanceOf(TokenRefreshError);
      expect((err as TokenRefreshError).status).toBe(400);
    });
  });

  it("the fixed-token form refreshes at the client's tokenUrl with the same helper", async () => {
    const { sim, clock } = await setup();
    const first = sim.oauth.issueTokens();
    const received: HikeTokens[] = [];
    const hike = createHikeClient(
      {
        accessToken: first.accessToken,
        refreshToken: first.refreshToken,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        onTokens: (t) => void received.push(t),
      },
      {
        baseUrl: sim.url,
        tokenUrl: `${sim.oauthUrl}/token`,
        clock,
        limits: false,
        throwOnError: true,
      },
    );
    sim.expireAccessTokens();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        hike.GET("/products/get/{id}", { params: { path: { id: 7 } } }),
      ),
    );
    expect(sim.oauth.stats.refreshes).toBe(1);
    expect(sim.oauth.stats.token).toBe(1); // one request to the token endpoint
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ accessToken: sim.oauth.issued.at(-2), expiresIn: 86_400 });
  });

  afterAll(() => {
    expect(errors.seen.length).toBeGreaterThanOrEqual(10);
    const canaries = [SECRET, ...issued];
    for (const err of errors.seen) expectNoSecret(err, canaries, String(err));
  });
});
