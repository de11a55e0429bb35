// The README's examples call the vendors' real hosts with credentials from the environment. To run
// them as they are, each vendor's simulator stands in for its host: a module loaded before the
// example (`node --import`) sends every request for a vendor's base URL to its simulator, and the
// environment carries the simulators' credentials.
import { systemClock } from "../../src/core/clock.js";
import { startHiboutikSimulator } from "../hiboutik/simulator.js";
import { startHikeSimulator } from "../hike/simulator.js";
import { startHubriseSimulator } from "../hubrise/simulator.js";
import { startSubscriptionsOnlySimulator } from "../subscriptions-only/simulator.js";

export interface ReadmeServers {
  /** The environment the examples read their secrets from. */
  env: Record<string, string>;
  /** Vendor base URLs (and the mock's) → the simulator that answers them. */
  routes: { from: string; to: string }[];
  /** The tokens Hike's example reads from hike-tokens.json. */
  hikeTokens: { accessToken: string; refreshToken: string };
  close(): Promise<void>;
}

const origin = (url: string) => new URL(url).origin;

export async function startReadmeServers(): Promise<ReadmeServers> {
  const secrets = {
    HUBRISE_ACCESS_TOKEN: "readme-hubrise-token",
    HIBOUTIK_API_KEY: "readme-hiboutik-key",
    SO_API_KEY: "readme-so-key",
    HIKE_CLIENT_ID: "ReadmeApp-01",
    HIKE_CLIENT_SECRET: "readme-hike-secret",
  };
  const hikeTokens = { accessToken: "readme-hike-access", refreshToken: "readme-hike-refresh" };
  const hubrise = await startHubriseSimulator({
    clock: systemClock,
    accessToken: secrets.HUBRISE_ACCESS_TOKEN,
  });
  const hiboutik = await startHiboutikSimulator({
    auth: { login: "owner@example.com", apiKey: secrets.HIBOUTIK_API_KEY },
  });
  const so = await startSubscriptionsOnlySimulator({
    storeId: "STO-12345",
    apiKey: secrets.SO_API_KEY,
  });
  const hike = await startHikeSimulator({
    clock: systemClock,
    ...hikeTokens,
    clientId: secrets.HIKE_CLIENT_ID,
    clientSecret: secrets.HIKE_CLIENT_SECRET,
  });
  return {
    env: secrets,
    hikeTokens,
    routes: [
      { from: "https://api.hubrise.com/v1", to: hubrise.baseUrl },
      // The README's mock example: Prism serves HubRise's paths at the root of 127.0.0.1:4010.
      { from: "http://127.0.0.1:4010", to: hubrise.baseUrl },
      { from: "https://myshop.hiboutik.com/api", to: hiboutik.baseUrl },
      { from: "https://api.subscriptionsonly.com/1.0.0", to: so.baseUrl },
      { from: "https://api.hikeup.com", to: origin(hike.baseUrl) },
    ],
    close: async () => {
      await Promise.all([hubrise.close(), hiboutik.close(), so.close(), hike.close()]);
    },
  };
}

/**
 * The module loaded before each example: the runtime's fetch, with vendor hosts sent to the
 * simulators (the clients send through the runtime's fetch, as an application's would).
 */
export const ROUTING_MODULE = `
const routes = JSON.parse(process.env.README_ROUTES);
const fetchFromNetwork = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const request = new Request(input, init);
  const route = routes.find((r) => request.url.startsWith(r.from));
  if (!route) throw new Error("the example called a host with no simulator: " + request.url);
  return fetchFromNetwork(new Request(route.to + request.url.slice(route.from.length), request));
};
`;
