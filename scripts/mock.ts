// `npm run mock -- <vendor> [--port N] [--seed S] [--data file.json]`: the vendor's sandbox on
// 127.0.0.1 (src/cli/sandbox-command.ts: the same as `npx commerce-openapi sandbox <vendor>`).
// `npm run mock -- <vendor> --static [--port N]`: Prism instead, serving the bundled description's
// examples (generated/<vendor>/openapi.json), offline and stateless. Prism validates every request
// and answers 422 with the violations in `sl-violations`. Ctrl-C stops either.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { runSandboxCommand } from "../src/cli/sandbox-command.js";
import { discoverVendors } from "./lib/vendors.js";

const args = process.argv.slice(2);
if (!args.includes("--static")) {
  const code = await runSandboxCommand(args);
  if (code !== undefined) process.exit(code);
} else {
  await servePrism(args.filter((a) => a !== "--static"));
}

async function servePrism(args: string[]) {
  const require = createRequire(import.meta.url);
  const name = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--port");
  const portArg = args.indexOf("--port");
  const port = Number(portArg >= 0 ? args[portArg + 1] : 4010);

  const vendors = await discoverVendors();
  const vendor = vendors.find((v) => v.name === name);
  if (!vendor || !Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(
      `usage: npm run mock -- <vendor> --static [--port N]\n  vendors: ${vendors.map((v) => v.name).join(", ")}`,
    );
    process.exit(2);
  }
  if (!existsSync(vendor.bundlePath)) {
    console.error(`${vendor.bundlePath} is missing: run npm run build first`);
    process.exit(1);
  }

  const prism = spawn(
    process.execPath,
    [
      path.join(
        path.dirname(require.resolve("@stoplight/prism-cli/package.json")),
        "dist/index.js",
      ),
      "mock",
      vendor.bundlePath,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );

  // Prism's own log goes through; its "listening" line is followed by how to use the mock.
  prism.stdout.setEncoding("utf8");
  let announced = false;
  prism.stdout.on("data", (chunk: string) => {
    process.stdout.write(chunk);
    if (!announced && chunk.includes("Prism is listening")) {
      announced = true;
      console.log(
        `\n${vendor.name} static mock (Prism): http://127.0.0.1:${port} (request validation on; Ctrl-C to stop)\n` +
          `  point a client at it with the option baseUrl: "http://127.0.0.1:${port}"`,
      );
    }
  });

  // Ctrl-C (or a kill) stops Prism first; this process exits when Prism has.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      prism.kill(signal);
    });
  prism.on("exit", (code, signal) => {
    process.exit(signal === "SIGINT" || signal === "SIGTERM" ? 0 : (code ?? 1));
  });
}
