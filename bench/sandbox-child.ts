// A sandbox in a process of its own, for the sandbox rows: `sandbox-child.ts <vendor> [options as
// JSON]` starts it on a free loopback port and prints one JSON line `{url, env}`; when its stdin
// closes it prints `{maxRssBytes}` (the process's peak resident memory) and exits.
import { SANDBOXES } from "../src/cli/sandboxes.js";

const [vendor, optionsJson] = process.argv.slice(2);
const load = SANDBOXES[vendor ?? ""];
if (!load) throw new Error(`no sandbox for ${vendor}`);
const entry = await load();
const options = optionsJson ? (JSON.parse(optionsJson) as Record<string, unknown>) : {};
const sandbox = await entry.start({ port: 0, ...options });
console.log(JSON.stringify({ url: sandbox.url, env: entry.env(sandbox) }));
process.stdin.resume();
process.stdin.on("end", () => {
  console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  void sandbox.close().then(() => process.exit(0));
});
