// A HubRise app in one file, on node:http with no framework: a merchant installs it through
// HubRise's OAuth flow, it keeps the connection's token, registers an order callback, and prints
// every order event HubRise sends, once its signature is verified.
//
//   GET  /                  a link to install the app
//   GET  /install           redirects to HubRise's authorize page (the state in a cookie)
//   GET  /oauth/callback    checks the state, exchanges the code, saves the token, registers the callback
//   POST /hubrise/callback  order events, verified with the client secret, printed
//
// Run it after `npm run build` (it imports the package as an application does):
//   HUBRISE_CLIENT_ID=… HUBRISE_CLIENT_SECRET=… PUBLIC_URL=https://my-app.example \
//     npx tsx examples/hubrise-orders/app.ts
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  createHubriseClient,
  hubriseOAuth,
  hubriseWebhookHandler,
  OAuthError,
} from "commerce-openapi/hubrise";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};
const config = {
  clientId: env("HUBRISE_CLIENT_ID"),
  clientSecret: env("HUBRISE_CLIENT_SECRET"),
  port: Number(process.env.PORT ?? 3000),
  /** Where HubRise reaches the app; default its own address. */
  publicUrl: process.env.PUBLIC_URL,
  /** Stand-ins for HubRise's OAuth server and API (tests); default HubRise's own. */
  oauthUrl: process.env.HUBRISE_OAUTH_URL,
  apiUrl: process.env.HUBRISE_API_URL,
  tokensFile: process.env.TOKENS_FILE ?? "hubrise-connection.json",
};

const oauth = hubriseOAuth({
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  ...(config.oauthUrl ? { oauthUrl: config.oauthUrl } : {}),
});
const scope = "location[orders.read]";

/** The connection's token, kept in a file (a database row in a real app). */
const saveConnection = (accessToken: string, locationId: string | undefined) =>
  writeFile(config.tokensFile, JSON.stringify({ accessToken, locationId }));
const loadToken = async () =>
  (JSON.parse(await readFile(config.tokensFile, "utf8")) as { accessToken: string }).accessToken;

const receiveCallback = hubriseWebhookHandler({
  clientSecret: config.clientSecret, // HubRise signs callbacks with the OAuth client secret
  on: {
    "order.create": (event) =>
      console.log(
        `order ${event.order_id} created at ${event.location_id}: ${event.new_state?.status}`,
      ),
    "order.update": (event) =>
      console.log(`order ${event.order_id} updated: ${event.new_state?.status}`),
  },
  onError: (error) => console.error(`refused a callback: ${String(error)}`),
});

const cookie = (req: IncomingMessage, name: string) =>
  new RegExp(`(?:^|; )${name}=([\\w-]+)`).exec(req.headers.cookie ?? "")?.[1] ?? "";

async function route(req: IncomingMessage, res: ServerResponse, publicUrl: string) {
  const url = new URL(req.url ?? "/", publicUrl);
  if (url.pathname === "/hubrise/callback") {
    // The node:http adapter: a web Request in, a web Response out.
    const post = req.method === "POST";
    const response = await receiveCallback(
      new Request(url, {
        method: post ? "POST" : "GET",
        headers: req.headers as Record<string, string>,
        body: post ? Readable.toWeb(req) : null,
        duplex: "half",
      } as RequestInit),
    );
    res.writeHead(response.status).end(new Uint8Array(await response.arrayBuffer()));
    return;
  }
  if (url.pathname === "/install") {
    const { url: authorize, state } = oauth.authorizeUrl({
      redirectUri: `${publicUrl}/oauth/callback`,
      scope,
    });
    res.writeHead(302, {
      Location: authorize,
      "Set-Cookie": `state=${state}; Path=/oauth/callback; HttpOnly; SameSite=Lax`,
    });
    res.end();
    return;
  }
  if (url.pathname === "/oauth/callback") {
    let tokens;
    try {
      tokens = await oauth.handleCallback(url, { expectedState: cookie(req, "state") });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.writeHead(400).end(`Not installed: ${err.error ?? "the request could not be checked"}`);
      return;
    }
    await saveConnection(tokens.accessToken, tokens.response.location_id);
    const hubrise = createHubriseClient(
      { accessToken: loadToken },
      config.apiUrl ? { baseUrl: config.apiUrl } : {},
    );
    const { error } = await hubrise.POST("/callback", {
      body: {
        url: `${publicUrl}/hubrise/callback`,
        events: { order: ["create", "update"] },
      },
    });
    if (error) {
      res.writeHead(502).end(`Installed, but the callback was refused: ${error.message}`);
      return;
    }
    console.log(`installed on ${tokens.response.location_name ?? "a location"}`);
    res.writeHead(200).end("Installed: order events will show in the app's log.");
    return;
  }
  if (url.pathname === "/") {
    res.writeHead(200, { "Content-Type": "text/html" }).end('<a href="/install">Install</a>');
    return;
  }
  res.writeHead(404).end();
}

const server = createServer((req, res) => {
  route(req, res, publicUrl).catch((err: unknown) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
let publicUrl = config.publicUrl ?? "";
server.listen(config.port, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  publicUrl ||= `http://127.0.0.1:${port}`;
  console.log(`listening on http://127.0.0.1:${port}, reachable at ${publicUrl}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
