#!/usr/bin/env node
// `npx commerce-openapi <command>`: the package's command line (Node only).
//   sandbox <vendor> [--port N] [--host H] [--seed S] [--data file.json]
import { runSandboxCommand } from "./sandbox-command.js";

const USAGE = `usage: commerce-openapi <command>
  sandbox <vendor> [--port N] [--host H] [--seed S] [--data file.json]
      a local API that behaves like the vendor's (see the README's "Sandboxes")`;

const [command, ...rest] = process.argv.slice(2);
if (command === "sandbox") {
  const code = await runSandboxCommand(rest);
  if (code !== undefined) process.exitCode = code;
} else {
  console.error(USAGE);
  process.exitCode = command === undefined || command === "--help" ? 0 : 2;
}
