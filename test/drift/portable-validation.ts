// Recording and response validation as a bundled app runs them (portable.test.ts bundles this
// module with esbuild, platform neutral, and runs it in Node, Deno, Bun, workerd and Chromium
// through the runtime matrix's runners): the validators come in through the `validators` option,
// as a bundler sees them; the answers come from a `fetch` given in the options (no network), the
// orders in them from the HubRise sandbox, through the config. Web standards only.
import {
  createHubriseClient,
  type DriftFinding,
  type RecordedExchange,
  ResponseDriftError,
} from "../../src/hubrise/index.js";
import { describe, expectThat, type Outcome, run } from "../runtimes/check-support.js";

export interface ValidationConfig {
  runtime: string;
  /** A page of orders as the sandbox answers it (with customers). */
  orders: Record<string, unknown>[];
  /** `sha256:<hex>` of the first customer's first name, computed by Node. */
  firstNameHash: string;
}

export async function runPortableSuite(config: ValidationConfig) {
  let body: unknown = config.orders;
  const fetch = async () =>
    new Response(JSON.stringify(body), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  const clientWith = (options: Record<string, unknown>) =>
    createHubriseClient(
      { accessToken: "portable-token-9c1e" },
      {
        fetch,
        limits: false,
        retry: false,
        validators: () => import("../../generated/hubrise/validators/index.js"),
        ...options,
      },
    );
  const wrong = () => {
    const orders = structuredClone(config.orders);
    orders[0]!.status = "teleported";
    orders[1]!.total = "12.5 EUR";
    return orders;
  };

  const results: Outcome<string, string>[] = [
    await run("hubrise", "valid page passes", async () => {
      const findings: DriftFinding[] = [];
      const client = clientWith({
        validateResponses: "throw",
        onDrift: (f: DriftFinding) => findings.push(f),
      });
      body = config.orders;
      const { data } = await client.GET("/location/orders");
      expectThat(Array.isArray(data) && data.length === config.orders.length, "data lost");
      expectThat(findings.length === 0, `findings: ${JSON.stringify(findings)}`);
      return `${config.orders.length} orders, no finding`;
    }),
    await run("hubrise", "drift found once per kind", async () => {
      const findings: DriftFinding[] = [];
      const client = clientWith({
        validateResponses: "warn",
        onDrift: (f: DriftFinding) => findings.push(f),
      });
      body = wrong();
      for (let i = 0; i < 3; i++) await client.GET("/location/orders");
      const seen = findings
        .map((f) => `${f.kind} ${f.pointer}`)
        .sort()
        .join(", ");
      expectThat(seen === "enum /0/status, pattern /1/total", `found ${seen}`);
      return seen;
    }),
    await run("hubrise", "throw mode throws", async () => {
      body = wrong();
      const err = await clientWith({ validateResponses: "throw" })
        .GET("/location/orders")
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expectThat(err instanceof ResponseDriftError, `ended with ${describe(err)}`);
      return err.message.slice(0, 80);
    }),
    await run("hubrise", "recording hashes personal fields", async () => {
      const exchanges: RecordedExchange[] = [];
      body = config.orders;
      const client = clientWith({
        record: (e: RecordedExchange) => void exchanges.push(e),
        recordPersonal: "hash",
      });
      await client.GET("/location/orders");
      const recorded = JSON.stringify(exchanges);
      expectThat(recorded.includes(config.firstNameHash), "the first name's SHA-256 is missing");
      expectThat(!recorded.includes("portable-token-9c1e"), "the token was recorded");
      return `operationId ${exchanges[0]?.operationId}`;
    }),
  ];
  const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  return { runtime: config.runtime, userAgent, results };
}
