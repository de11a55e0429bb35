// The four sandboxes as the command line starts them: each loaded only when asked for, with the
// environment variables the README's examples read its credentials from.
import type { SandboxServer } from "../sandbox/server.js";

export interface CliSandboxOptions {
  port: number;
  host?: string;
  seed?: string;
  data?: unknown;
}

export interface CliSandbox {
  /** The vendor's name as people write it. */
  title: string;
  start(options: CliSandboxOptions): Promise<SandboxServer>;
  /** The sandbox's credentials as `NAME=value` lines, under the README's variable names. */
  env(sandbox: SandboxServer): Record<string, string>;
}

/** `data` as each sandbox takes it: checked by the sandbox against the description. */
type Data<T> = T extends (options: infer O) => unknown
  ? O extends { data?: infer D }
    ? D
    : never
  : never;

export const SANDBOXES: Record<string, () => Promise<CliSandbox>> = {
  hubrise: async () => {
    const { startHubriseSandbox } = await import("../hubrise/sandbox/index.js");
    type Sandbox = Awaited<ReturnType<typeof startHubriseSandbox>>;
    return {
      title: "HubRise",
      start: (o) => startHubriseSandbox({ ...o, data: o.data as Data<typeof startHubriseSandbox> }),
      env: (s) => ({ HUBRISE_ACCESS_TOKEN: (s as Sandbox).credentials.accessToken }),
    };
  },
  hiboutik: async () => {
    const { startHiboutikSandbox } = await import("../hiboutik/sandbox/index.js");
    type Sandbox = Awaited<ReturnType<typeof startHiboutikSandbox>>;
    return {
      title: "Hiboutik",
      start: (o) =>
        startHiboutikSandbox({ ...o, data: o.data as Data<typeof startHiboutikSandbox> }),
      env: (s) => ({
        HIBOUTIK_LOGIN: (s as Sandbox).credentials.login,
        HIBOUTIK_API_KEY: (s as Sandbox).credentials.apiKey,
      }),
    };
  },
  "subscriptions-only": async () => {
    const { startSubscriptionsOnlySandbox } =
      await import("../subscriptions-only/sandbox/index.js");
    type Sandbox = Awaited<ReturnType<typeof startSubscriptionsOnlySandbox>>;
    return {
      title: "Subscriptions Only",
      start: (o) =>
        startSubscriptionsOnlySandbox({
          ...o,
          data: o.data as Data<typeof startSubscriptionsOnlySandbox>,
        }),
      env: (s) => ({
        SO_STORE_ID: (s as Sandbox).credentials.storeId,
        SO_API_KEY: (s as Sandbox).credentials.apiKey,
      }),
    };
  },
  hike: async () => {
    const { startHikeSandbox } = await import("../hike/sandbox/index.js");
    type Sandbox = Awaited<ReturnType<typeof startHikeSandbox>>;
    return {
      title: "Hike",
      start: (o) => startHikeSandbox({ ...o, data: o.data as Data<typeof startHikeSandbox> }),
      env: (s) => {
        const c = (s as Sandbox).credentials;
        return {
          HIKE_ACCESS_TOKEN: c.accessToken,
          HIKE_REFRESH_TOKEN: c.refreshToken,
          HIKE_CLIENT_ID: c.clientId,
          HIKE_CLIENT_SECRET: c.clientSecret,
        };
      },
    };
  },
};
