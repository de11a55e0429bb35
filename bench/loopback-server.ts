// The HTTP server of the per-request cost rows: a JSON answer on 127.0.0.1, in a process of its
// own. In the bench's own process its work and its garbage collections would land in the variants'
// timings, charged to whichever variant made the most garbage: a vendor's server is never in its
// client's process, and the client's cost is what the rows measure.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const SERVER = `
const body = process.env.BENCH_BODY;
const server = require("node:http").createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.on("end", () => process.exit(0)).resume();
`;

export async function startLoopbackServer(
  body: string,
): Promise<{ origin: string; close: () => void }> {
  const child = spawn(process.execPath, ["-e", SERVER], {
    env: { ...process.env, BENCH_BODY: body },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [line] = await new Promise<string[]>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the loopback server exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (l) => resolve([l]));
  });
  return {
    origin: `http://127.0.0.1:${Number(line)}`,
    // Ending its stdin ends it, also if this process dies first.
    close: () => child.stdin!.end(),
  };
}
