#!/usr/bin/env node
// `npx commerce-openapi <command>`: the package's command line (Node only).
//   sandbox <vendor> [--port N] [--host H] [--seed S] [--data file.json]
//   verify <vendor> <file…> [--json] [--overlay out.yaml] [--report report.md] [--server URL]…
import { runSandboxCommand } from "./sandbox-command.js";
import { runVerifyCommand } from "./verify-command.js";

const USAGE = `usage: commerce-openapi <command>
  sandbox <vendor> [--port N] [--host H] [--seed S] [--data file.json]
      a local API that behaves like the vendor's (see the README's "Sandboxes")
  verify <vendor> <file…> [--json] [--overlay out.yaml] [--report report.md] [--server URL]…
      checks recorded traffic (NDJSON, HAR) against the description (README: "Checking real
      traffic: verify"); exit code 1 when the description refuses what was seen`;

const [command, ...rest] = process.argv.slice(2);
if (command === "sandbox") {
  const code = await runSandboxCommand(rest);
  if (code !== undefined) process.exitCode = code;
} else if (command === "verify") {
  process.exitCode = await runVerifyCommand(rest);
} else {
  console.error(USAGE);
  process.exitCode = command === undefined || command === "--help" ? 0 : 2;
}
