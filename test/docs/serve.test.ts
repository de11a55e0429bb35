// `npm run docs:serve`: serves dist/docs on 127.0.0.1, prints the URL, serves nothing outside
// dist/docs, and stops cleanly on Ctrl-C (SIGINT).
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/vendors.js";

describe("docs:serve", () => {
  it("serves the docs on loopback and exits 0 on SIGINT", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "scripts", "docs-serve.ts"), "--port", "0"],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let out = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: string) => {
          out += chunk;
          const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (match) resolve(match[0]);
        });
        child.once("exit", (code) =>
          reject(new Error(`exited with ${code} before printing a URL`)),
        );
      });

      const index = await fetch(url);
      expect(index.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await index.text()).toContain('href="hubrise.html"');
      const page = await fetch(new URL("hubrise.html", url));
      expect(page.status).toBe(200);
      const script = await fetch(new URL("redoc.standalone.js", url));
      expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
      await script.arrayBuffer();
      // Nothing outside dist/docs, however the path is spelled.
      for (const escape of ["/../package.json", "/%2e%2e/package.json", "/..%2fpackage.json"]) {
        const res = await fetch(url.slice(0, -1) + escape);
        expect(res.status, escape).toBe(404);
        await res.text();
      }

      // A kept-alive connection (a browser tab) must not keep the server from stopping.
      const exited = once(child, "exit");
      child.kill("SIGINT");
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
