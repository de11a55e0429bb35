// The README's examples call the vendors' real hosts with credentials from the environment. To run
// them as they are, each vendor's sandbox stands in for its host: a module loaded before the
// example (`node --import`) sends every request for a vendor's base URL to its sandbox, and the
// environment carries the sandboxes' credentials. Requests to other loopback servers (a sandbox
// an example starts itself) go through untouched.
import { startHiboutikSandbox } from "../../src/hiboutik/sandbox/index.js";
import { startHikeSandbox } from "../../src/hike/sandbox/index.js";
import { startHubriseSandbox } from "../../src/hubrise/sandbox/index.js";
import { startSubscriptionsOnlySandbox } from "../../src/subscriptions-only/sandbox/index.js";
import { startRedisServer } from "../support/redis-server.js";

export interface ReadmeServers {
  /** The environment the examples read their secrets from. */
  env: Record<string, string>;
  /** Vendor base URLs (and the `npm run mock` sandbox's) → the sandbox that answers them. */
  routes: { from: string; to: string }[];
  /** The tokens Hike's example reads from hike-tokens.json. */
  hikeTokens: { accessToken: string; refreshToken: string };
  /** Every answer the sandboxes gave that the description does not allow (none, if they are right). */
  violations(): string[];
  close(): Promise<void>;
}

export async function startReadmeServers(): Promise<ReadmeServers> {
  const secrets = {
    HUBRISE_ACCESS_TOKEN: "readme-hubrise-token",
    HUBRISE_CLIENT_SECRET: "readme-hubrise-client-secret",
    HIBOUTIK_API_KEY: "readme-hiboutik-key",
    SO_API_KEY: "readme-so-key",
    HIKE_CLIENT_ID: "ReadmeApp-0123456789",
    HIKE_CLIENT_SECRET: "readme-hike-secret",
  };
  const hikeTokens = { accessToken: "readme-hike-access", refreshToken: "readme-hike-refresh" };
  const hubrise = await startHubriseSandbox({
    // Few enough orders that the examples' listings stay within HubRise's 10 heavy queries a
    // minute (the client would otherwise wait, as it must, for the next minute).
    size: { orders: 150 },
    credentials: {
      accessToken: secrets.HUBRISE_ACCESS_TOKEN,
      clientSecret: secrets.HUBRISE_CLIENT_SECRET,
    },
  });
  const hiboutik = await startHiboutikSandbox({
    credentials: { login: "owner@example.com", apiKey: secrets.HIBOUTIK_API_KEY },
  });
  const so = await startSubscriptionsOnlySandbox({
    credentials: { storeId: "STO-12345", apiKey: secrets.SO_API_KEY },
  });
  const hike = await startHikeSandbox({
    credentials: {
      ...hikeTokens,
      clientId: secrets.HIKE_CLIENT_ID,
      clientSecret: secrets.HIKE_CLIENT_SECRET,
    },
  });
  const sandboxes = [hubrise, hiboutik, so, hike];
  // The shared limits example's Redis: a real one, as its users have.
  const redis = await startRedisServer();
  return {
    env: { ...secrets, HUBRISE_SANDBOX_URL: hubrise.url, REDIS_URL: redis.url },
    hikeTokens,
    routes: [
      { from: "https://api.hubrise.com/v1", to: hubrise.url },
      // The README's `npm run mock -- hubrise` example: the sandbox on 127.0.0.1:4010.
      { from: "http://127.0.0.1:4010", to: hubrise.origin },
      { from: "https://myshop.hiboutik.com/api", to: hiboutik.url },
      { from: "https://api.subscriptionsonly.com/1.0.0", to: so.url },
      { from: "https://api.hikeup.com", to: hike.origin },
    ],
    violations: () => sandboxes.flatMap((s) => s.violations),
    close: async () => {
      redis.kill();
      await Promise.all(sandboxes.map((s) => s.close()));
    },
  };
}

/**
 * The module loaded before each example: the runtime's fetch, with vendor hosts sent to the
 * sandboxes (the clients send through the runtime's fetch, as an application's would).
 */
export const ROUTING_MODULE = `
const routes = JSON.parse(process.env.README_ROUTES);
const fetchFromNetwork = globalThis.fetch;
const under = (url, base) => url === base || url.startsWith(base + "/") || url.startsWith(base + "?");
globalThis.fetch = (input, init) => {
  const request = new Request(input, init);
  const route = routes.find((r) => under(request.url, r.from));
  if (route) return fetchFromNetwork(new Request(route.to + request.url.slice(route.from.length), request));
  if (new URL(request.url).hostname === "127.0.0.1") return fetchFromNetwork(request);
  throw new Error("the example called a host with no sandbox: " + request.url);
};
`;
