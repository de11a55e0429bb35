// The docs in a real browser with no network: Debian's Chromium (installed by .ci/run) driven by
// playwright-core opens every page from dist/docs as a file, with every non-file request blocked and
// counted. Redoc must render every operation and webhook of the description, each operation's code
// sample and each inferred operation's "Unverified" note, without attempting a single external
// request. Screenshots of the index and one vendor page go to test-results/.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsOf } from "../../scripts/lib/stats.js";
import { discoverVendors, repoRoot } from "../../scripts/lib/vendors.js";
import { loadBundle } from "../support/bundled.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const docs = path.join(repoRoot, "dist", "docs");
const results = path.join(repoRoot, "test-results");
const vendors = (await discoverVendors()).map((v) => v.name);

// CI installs Chromium, so there a missing browser is a failure; a developer without it is told how
// to get it and the suite is reported as skipped.
const haveBrowser = existsSync(executablePath);
if (!haveBrowser && process.env.CI)
  throw new Error(`${executablePath} not found: .ci/run installs Debian's chromium package`);
if (!haveBrowser)
  console.warn(
    `browser test skipped: no ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );

// Flags for a closed network: without the background-networking ones Chromium itself tries to reach
// its update and sync services at start.
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface OfflinePage {
  page: Page;
  /** Every request (or websocket) to anything but file:, data: and blob:, blocked. */
  external: string[];
  errors: string[];
}

let browser: Browser | undefined;

async function openOffline(file: string): Promise<OfflinePage> {
  const context = await browser!.newContext({
    viewport: { width: 1440, height: 900 },
    serviceWorkers: "block",
  });
  const external: string[] = [];
  const local = (url: URL) => ["file:", "data:", "blob:"].includes(url.protocol);
  await context.route(
    (url) => !local(url),
    (route) => {
      external.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  await context.routeWebSocket(/.*/, (ws) => {
    external.push(ws.url());
    return ws.close();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  await page.goto(pathToFileURL(path.join(docs, file)).href, { waitUntil: "load" });
  return { page, external, errors };
}

/** Waits until Redoc has rendered and the number of sections stops changing. */
async function renderedSectionIds(page: Page): Promise<string[]> {
  await page.waitForSelector("[data-section-id]", { timeout: 60_000 });
  let previous = -1;
  for (;;) {
    const ids = await page.$$eval("[data-section-id]", (els) =>
      els.map((e) => e.getAttribute("data-section-id") ?? ""),
    );
    if (ids.length === previous) return ids;
    previous = ids.length;
    await page.waitForTimeout(500);
  }
}

describe.skipIf(!haveBrowser)("docs in Chromium, offline", () => {
  beforeAll(async () => {
    await mkdir(results, { recursive: true });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("the index lists every vendor with its counts and links to its page", async () => {
    const { page, external, errors } = await openOffline("index.html");
    const cards = await page.$$eval(".card", (els) =>
      els.map((card) => ({
        href: card.querySelector("a")?.getAttribute("href"),
        operations: card.querySelector('[data-field="operations"]')?.textContent,
      })),
    );
    expect(cards).toEqual(
      vendors.map((v) => ({
        href: `${v}.html`,
        operations: String(operationsOf(loadBundle(v)).length),
      })),
    );
    await page.screenshot({ path: path.join(results, "docs-index.png"), fullPage: true });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it.each(vendors)(
    "%s: every operation renders with its sample and evidence note, no external request",
    async (vendor) => {
      const doc = loadBundle(vendor);
      const operations = operationsOf(doc);
      const webhooks = operationsOf(doc, "webhooks");
      const inferred = [...operations, ...webhooks].filter(
        (o) => (o.operation["x-evidence"] as { level?: string } | undefined)?.level === "inferred",
      ).length;
      const { page, external, errors } = await openOffline(`${vendor}.html`);

      const ids = await renderedSectionIds(page);
      // Redoc gives each rendered operation a section "tag/<tag>/operation/<operationId>".
      const rendered = new Set(
        ids
          .filter((id) => id.startsWith("tag/"))
          .flatMap((id) => /\/operation\/(.+)$/.exec(id)?.[1] ?? []),
      );
      const idsOf = (ops: typeof operations) => ops.map((o) => String(o.operation.operationId));
      const expected = new Set([...idsOf(operations), ...idsOf(webhooks)]);
      expect([...rendered].sort()).toEqual([...expected].sort());
      expect(rendered.size).toBe(operations.length + webhooks.length);

      const sampleTabs = await page.$$eval(
        '[role="tab"]',
        (tabs) => tabs.filter((t) => t.textContent?.startsWith("TypeScript")).length,
      );
      expect(sampleTabs).toBe(operations.length);
      const notes = await page.$$eval(
        "blockquote strong",
        (els) => els.filter((e) => e.textContent === "Unverified.").length,
      );
      expect(notes).toBe(inferred);

      if (vendor === "hubrise") {
        // The introduction, and an operation with its code sample beside it.
        await page.screenshot({ path: path.join(results, `docs-${vendor}.png`) });
        const post = operations.find((o) => o.method === "post")!;
        const id = `tag/${String((post.operation.tags as string[])[0])}/operation/${String(post.operation.operationId)}`;
        const section = page.locator(`[data-section-id="${id}"]`).first();
        await section.evaluate((el) => el.scrollIntoView());
        await section.getByRole("tab", { name: "TypeScript client" }).click();
        await expect
          .poll(() => section.locator('[role="tabpanel"]').allInnerTexts())
          .toContainEqual(expect.stringContaining(`hubrise.POST("${post.path}"`));
        await page.screenshot({ path: path.join(results, `docs-${vendor}-operation.png`) });
      }
      expect(external).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    },
    120_000,
  );
});
