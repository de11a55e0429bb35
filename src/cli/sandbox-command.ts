// `commerce-openapi sandbox <vendor>` (and `npm run mock -- <vendor>` in this repository): starts
// the vendor's sandbox in the foreground and prints where it is and its credentials. They are the
// sandbox's own, made from the seed: no real account's. Ctrl-C (or SIGTERM) closes it.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { FAULT_HEADER } from "../sandbox/faults.js";
import { SANDBOXES } from "./sandboxes.js";

export const DEFAULT_PORT = 4010;

const usage = () =>
  `usage: sandbox <vendor> [--port N] [--host H] [--seed S] [--data file.json]\n` +
  `  vendors: ${Object.keys(SANDBOXES).join(", ")}`;

/**
 * Runs the command; resolves with an exit code when it could not start, or undefined once the
 * sandbox is up (the process then lives until a signal closes the sandbox).
 */
export async function runSandboxCommand(argv: string[]): Promise<number | undefined> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        data: { type: "string" },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const load = positionals.length === 1 ? SANDBOXES[positionals[0]!] : undefined;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!load || !Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(usage());
    return 2;
  }
  let data: unknown;
  if (values.data !== undefined) {
    try {
      data = JSON.parse(await readFile(values.data, "utf8"));
    } catch (err) {
      console.error(`--data ${values.data}: ${(err as Error).message}`);
      return 2;
    }
  }
  const vendor = await load();
  let sandbox;
  try {
    sandbox = await vendor.start({ port, host: values.host, seed: values.seed, data });
  } catch (err) {
    // A data set the description does not allow, or a port in use.
    console.error(`${vendor.title} sandbox: ${(err as Error).message}`);
    return 1;
  }
  // Signals are handled before anything is printed: whoever reads the banner may stop it at once.
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const env = Object.entries(vendor.env(sandbox))
    .map(([name, value]) => `  export ${name}=${value}`)
    .join("\n");
  console.log(
    `${vendor.title} sandbox: ${sandbox.url}` +
      (values.seed === undefined ? "" : ` (seed ${JSON.stringify(values.seed)})`) +
      `\nIts credentials (the sandbox's own, for it only):\n${env}\n` +
      `Faults on demand: send the header ${FAULT_HEADER}: {"status":503}. Ctrl-C stops it.`,
  );
  return undefined;
}
