// `npm run docs:serve`: serves dist/docs on 127.0.0.1 (port from --port or PORT, default 4400; 0
// picks a free one) and prints the URL.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { repoRoot } from "./lib/vendors.js";

const root = path.join(repoRoot, "dist", "docs");
if (!existsSync(path.join(root, "index.html"))) {
  console.error("dist/docs is empty: run `npm run build` first");
  process.exit(1);
}
const portArg = process.argv.indexOf("--port");
const port = Number(portArg > 0 ? process.argv[portArg + 1] : (process.env.PORT ?? 4400));
const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const file = path.normalize(
    path.join(root, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname)),
  );
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  res.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
});
server.listen(port, "127.0.0.1", () => {
  const { port: bound } = server.address() as { port: number };
  console.log(`docs: http://127.0.0.1:${bound}/ (Ctrl-C to stop)`);
});
// Ctrl-C: drop idle keep-alive connections too, or a browser tab would hold the process open.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
