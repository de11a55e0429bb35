// HubRise's OAuth flow through hubriseOAuth() against the HubRise sandbox's OAuth server: authorize
// URL → the user approves → code → token (Basic client authentication, `code=…`, no grant_type; no
// expiry, no refresh token), revocation, and everything that must fail without sending a secret
// anywhere. The client takes a token function; HubRise has nothing to refresh.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ApiError,
  createHubriseClient,
  hubriseOAuth,
  type HubriseOAuthOptions,
  OAuthError,
} from "../../src/hubrise/index.js";
import { base64 } from "../../src/core/base64.js";
import { type HubriseSandbox, startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { expectNoSecret } from "../hostile/leak-check.js";
import { errorLog } from "../support/error-log.js";
import { settableClock, startRecorder, visit } from "../support/oauth-browser.js";

const CLIENT_ID = "459691768564.clients.hubrise.com";
const SECRET = "Hq7Zp2-hubrise-client-secret-canary";
const REDIRECT = "https://app.example/oauth_callback";
const SCOPE = "location[orders.write,catalog.read],profile";
const errors = errorLog();
const { caught } = errors;
/** Every code and token the servers issued, kept for the leak check at the end. */
const issued: string[] = [];
const violations: string[] = [];
let sim: HubriseSandbox | undefined;

afterEach(async () => {
  issued.push(...(sim?.oauth.issued ?? []));
  violations.push(...(sim?.violations ?? []));
  await sim?.close();
  sim = undefined;
});

/** An OAuth server's HTML error page that echoes the form it got (the code), as some do. */
const htmlPage = (status: number, echoed: string) => ({
  status,
  contentType: "text/html",
  body: `<!DOCTYPE html><html><body><h1>${status}</h1><p>Could not handle ${echoed}</p></body></html>`,
  on: { method: "POST" },
});

async function setup(options: Partial<HubriseOAuthOptions> = {}) {
  const clock = settableClock();
  sim = await startHubriseSandbox({
    clock,
    credentials: { clientId: CLIENT_ID, clientSecret: SECRET },
    limits: false,
    validate: true,
  });
  const oauth = hubriseOAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    oauthUrl: sim.oauthUrl,
    clock,
    ...options,
  });
  return { sim, oauth, clock };
}

/** API requests the sandbox refused (401). */
const refused = (s: HubriseSandbox) => s.requests.filter((r) => r.status === 401).length;

/** An approved authorization: the callback URL and the state to expect. */
async function approved(oauth: ReturnType<typeof hubriseOAuth>) {
  const { url, state } = oauth.authorizeUrl({ redirectUri: REDIRECT, scope: SCOPE });
  return { callback: await visit(url), state };
}

describe("hubriseOAuth against a HubRise OAuth server", () => {
  it("authorize URL → approval → code → a token that never expires, usable by the client", async () => {
    const { sim, oauth } = await setup();
    const { url, state } = oauth.authorizeUrl({
      redirectUri: REDIRECT,
      scope: SCOPE,
      country: "FR",
      accountName: "Aux Délices",
      locationName: "Paris",
      deviceId: "till-2",
    });
    expect(url.startsWith(`${sim.oauthUrl}/authorize?`)).toBe(true);
    expect(Object.fromEntries(new URL(url).searchParams)).toEqual({
      redirect_uri: REDIRECT,
      client_id: CLIENT_ID,
      scope: SCOPE,
      country: "FR",
      account_name: "Aux Délices",
      location_name: "Paris",
      device_id: "till-2",
      state,
    });
    const callback = await visit(url);
    expect(callback.startsWith(`${REDIRECT}?code=`)).toBe(true);

    const tokens = await oauth.handleCallback(callback, { expectedState: state });
    expect(tokens.accessToken).toBe(sim.oauth.issued.at(-1));
    expect(tokens.expiresAt).toBeUndefined();
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.response).toMatchObject({ location_id: "3r4s3-1", location_name: "Paris" });
    // The documented request: the code alone in the form (the client in Basic, or it is refused).
    expect([...sim.oauth.bodies.at(-1)!.keys()]).toEqual(["code"]);

    const hubrise = createHubriseClient(
      { accessToken: tokens.accessToken },
      { baseUrl: sim.url, limits: false, throwOnError: true },
    );
    const { data } = await hubrise.GET("/location");
    expect(data.id).toBe("3r4s3-1");
  });

  it("exchanges a pasted code (installed apps: redirect_uri urn:ietf:wg:oauth:2.0:oob)", async () => {
    const { sim, oauth } = await setup();
    const { callback } = await approved(oauth);
    const code = new URL(callback).searchParams.get("code")!;
    const tokens = await oauth.exchangeCode({ code });
    expect(tokens.accessToken).toBe(sim.oauth.issued.at(-1));
  });

  it("refuses a callback whose state is not this user's, sending nothing", async () => {
    const { sim, oauth } = await setup();
    const { callback } = await approved(oauth);
    const other = oauth.authorizeUrl({ redirectUri: REDIRECT, scope: SCOPE }).state;
    const err = await caught(oauth.handleCallback(callback, { expectedState: other }));
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).message).toMatch(/state is not the one sent/);
    const forged = `${REDIRECT}?code=${new URL(callback).searchParams.get("code")}`;
    expect(await caught(oauth.handleCallback(forged, { expectedState: other }))).toBeInstanceOf(
      OAuthError,
    );
    expect(sim.oauth.stats.token).toBe(0);
  });

  it("reports a denial (error=access_denied) without sending anything", async () => {
    const { sim, oauth } = await setup();
    sim.oauth.user = "denies";
    const { callback, state } = await approved(oauth);
    expect(callback).toBe(`${REDIRECT}?error=access_denied&state=${state}`);
    const err = await caught(oauth.handleCallback(callback, { expectedState: state }));
    expect(err).toMatchObject({ name: "OAuthError", error: "access_denied", status: undefined });
    expect(sim.oauth.stats.token).toBe(0);
  });

  it("a used or expired code is OAuthError 400; wrong client credentials 401", async () => {
    const { oauth, clock } = await setup();
    const first = await approved(oauth);
    await oauth.handleCallback(first.callback, { expectedState: first.state });
    const reused = await caught(
      oauth.handleCallback(first.callback, { expectedState: first.state }),
    );
    expect(reused).toMatchObject({ name: "OAuthError", status: 400, error: "invalid_grant" });

    const second = await approved(oauth);
    clock.advance(10 * 60_000 + 1_000); // codes live 10 minutes
    const expired = await caught(
      oauth.handleCallback(second.callback, { expectedState: second.state }),
    );
    expect(expired).toMatchObject({ name: "OAuthError", status: 400 });

    const wrong = hubriseOAuth({
      clientId: CLIENT_ID,
      clientSecret: `${SECRET}-wrong`,
      oauthUrl: sim!.oauthUrl,
    });
    const third = await approved(oauth);
    const refused = await caught(
      wrong.handleCallback(third.callback, { expectedState: third.state }),
    );
    expect(refused).toMatchObject({ name: "OAuthError", status: 401, error: "invalid_client" });
  });

  it("revokes a token (Basic, token=…): the API refuses it afterwards", async () => {
    const { sim, oauth } = await setup();
    const { callback, state } = await approved(oauth);
    const { accessToken } = await oauth.handleCallback(callback, { expectedState: state });
    const hubrise = createHubriseClient(
      { accessToken },
      { baseUrl: sim.url, limits: false, throwOnError: true },
    );
    await hubrise.GET("/location");

    const wrong = hubriseOAuth({
      clientId: CLIENT_ID,
      clientSecret: "nope-0",
      oauthUrl: sim.oauthUrl,
    });
    expect(await caught(wrong.revoke(accessToken))).toMatchObject({ status: 401 });
    await hubrise.GET("/location"); // still valid

    await oauth.revoke(accessToken);
    expect(Object.fromEntries(sim.oauth.bodies.at(-1)!)).toEqual({ token: accessToken });
    const refused = await caught(hubrise.GET("/location"));
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(401);
  });

  it("50 concurrent calls read the token from a function once each; a new token takes over", async () => {
    const { sim, oauth } = await setup();
    const first = await approved(oauth);
    let current = (await oauth.handleCallback(first.callback, { expectedState: first.state }))
      .accessToken;
    let reads = 0;
    const hubrise = createHubriseClient(
      {
        accessToken: async () => {
          reads++;
          return current;
        },
      },
      { baseUrl: sim.url, limits: false, throwOnError: true },
    );
    const results = await Promise.all(Array.from({ length: 50 }, () => hubrise.GET("/location")));
    expect(results.every((r) => r.data.id === "3r4s3-1")).toBe(true);
    expect(reads).toBe(50);

    // The connection is revoked and authorised again: the function gives the new token.
    await oauth.revoke(current);
    const again = await approved(oauth);
    current = (await oauth.handleCallback(again.callback, { expectedState: again.state }))
      .accessToken;
    await hubrise.GET("/location");
    expect(refused(sim)).toBe(0);

    const broken = createHubriseClient(
      { accessToken: () => `${current}\n` },
      { baseUrl: sim.url, limits: false },
    );
    const err = await caught(broken.GET("/location"));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/not a usable access token/);
  });

  describe("a token endpoint that misbehaves", () => {
    it("an HTML error page is OAuthError with the status; the code it echoes is redacted", async () => {
      const { sim, oauth } = await setup();
      const { callback, state } = await approved(oauth);
      sim.inject(htmlPage(502, `code=${new URL(callback).searchParams.get("code")}`));
      const err = await caught(oauth.handleCallback(callback, { expectedState: state }));
      expect(err).toMatchObject({ name: "OAuthError", status: 502 });
      expect((err as Error).message).toMatch(/non-JSON body "<!DOCTYPE html>.*\[redacted\]/);
    });

    it("a redirect to another origin is refused: the other origin receives nothing", async () => {
      const { sim, oauth } = await setup();
      const other = await startRecorder();
      try {
        const { callback, state } = await approved(oauth);
        sim.inject({
          kind: "redirect",
          location: other.origin,
          status: 307,
          on: { method: "POST" },
        });
        const err = await caught(oauth.handleCallback(callback, { expectedState: state }));
        expect(err).toMatchObject({ name: "OAuthError", status: 307 });
        sim.inject({
          kind: "redirect",
          location: other.origin,
          status: 308,
          on: { method: "POST" },
        });
        expect(await caught(oauth.revoke("b9922a78d3ffab6b95e9d72e88"))).toMatchObject({
          status: 308,
        });
        expect(other.received).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it("a slow answer ends with the timeouts of the transport options", async () => {
      const { sim, oauth } = await setup({ timeouts: { headersMs: 100 } });
      const { callback, state } = await approved(oauth);
      sim.inject({ kind: "delay", ms: 2_000, on: { method: "POST" } });
      const started = performance.now();
      const err = await caught(oauth.handleCallback(callback, { expectedState: state }));
      expect(err).toMatchObject({ name: "OAuthError", status: undefined });
      expect((err as Error).message).toMatch(/no response headers came within 100 ms/);
      expect(performance.now() - started).toBeLessThan(1_500);
    });

    it("an answer over maxResponseBytes is OAuthError", async () => {
      const { sim, oauth } = await setup({ maxResponseBytes: 64 });
      const { callback, state } = await approved(oauth);
      sim.inject(htmlPage(500, `code=${new URL(callback).searchParams.get("code")}`));
      const err = await caught(oauth.handleCallback(callback, { expectedState: state }));
      expect(err).toMatchObject({ name: "OAuthError", status: 500 });
      expect((err as Error).message).toMatch(/64-byte limit/);
    });

    it("an error echoing the form and the Basic header keeps the vendor's error, redacted", async () => {
      const { sim, oauth } = await setup();
      const { callback, state } = await approved(oauth);
      sim.inject({ kind: "echo", on: { method: "POST" } });
      const err = (await caught(
        oauth.handleCallback(callback, { expectedState: state }),
      )) as OAuthError;
      expect(err).toMatchObject({ status: 400, error: "invalid_request" });
      expect(err.errorDescription).toBe("got code=[redacted] with Basic [redacted]");
    });
  });

  it("checks its options without quoting them", () => {
    expect(() => hubriseOAuth({ clientId: CLIENT_ID, clientSecret: `${SECRET}\n` })).toThrow(
      /clientSecret contains a control character/,
    );
    expect(() => hubriseOAuth({ clientId: "a:b", clientSecret: SECRET })).toThrow(/':'/);
    const oauth = hubriseOAuth({ clientId: CLIENT_ID, clientSecret: SECRET });
    expect(() => oauth.authorizeUrl({ redirectUri: "", scope: SCOPE })).toThrow(/redirectUri/);
    expect(oauth.authorizeUrl({ redirectUri: REDIRECT, scope: SCOPE }).url).toMatch(
      /^https:\/\/manager\.hubrise\.com\/oauth2\/v1\/authorize\?/,
    );
  });

  // Every error above, however it is printed, holds no client secret, Basic value, code or token;
  // every answer of the sandbox's API fitted the description.
  afterAll(() => {
    expect(violations).toEqual([]);
    expect(errors.seen.length).toBeGreaterThanOrEqual(14);
    const canaries = [SECRET, base64(`${CLIENT_ID}:${SECRET}`), ...issued];
    for (const err of errors.seen) expectNoSecret(err, canaries, String(err));
  });
});
