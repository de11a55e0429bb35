// The docs in a real browser with no network: Debian's Chromium (installed by .ci/run) driven by
// playwright-core opens every page from dist/docs as a file, with every non-file request blocked and
// counted. Redoc must render every operation and webhook of the description, each operation's code
// sample (its first tab) and each inferred operation's "Unverified" note, without attempting a
// single external request and without a console warning, console error or page error. At 1,440 px
// no code line overflows its panel, a TypeScript sample's lines fit without wrapping, and every
// table has its header row. Screenshots of the index and of pages go to test-results/.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SAMPLE_PROFILES } from "../../scripts/lib/code-sample-profiles.js";
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
  /** Page errors and console errors, warnings and failed assertions, as `<type>: <text>`. */
  errors: string[];
}

/** Console messages that fail a page: anything Redoc or the page reports as wrong. */
const FAILING_CONSOLE = new Set(["error", "warning", "assert"]);

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
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (FAILING_CONSOLE.has(msg.type())) errors.push(`${msg.type()}: ${msg.text()}`);
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

interface Layout {
  /** Operations whose first request-sample tab is not a selected TypeScript sample. */
  notTypeScriptFirst: string[];
  /** Code blocks (samples, payloads, responses, the introduction's) and paths wider than their box. */
  overflowing: string[];
  /** Lines of TypeScript samples wider than the panel (a lone string literal excepted). */
  wrapped: string[];
  /** Header rows of tables with an empty cell. */
  emptyHeaders: string[];
  /** The info line under the title ("URL: … | License: …"). */
  info: string;
}

/** What a reader sees of the layout, measured in the page. */
function measureLayout(page: Page, pathOperationIds: string[]): Promise<Layout> {
  return page.evaluate((ids) => {
    const sections = Array.from(document.querySelectorAll("[data-section-id]"));
    const operationId = (el: Element) =>
      /\/operation\/(.+)$/.exec(el.getAttribute("data-section-id") ?? "")?.[1];
    const notTypeScriptFirst = ids.filter((id) => {
      const section = sections.find((el) => operationId(el) === id);
      const first = section?.querySelector('[role="tablist"] [role="tab"]');
      return !(
        first?.textContent?.startsWith("TypeScript") &&
        first.getAttribute("aria-selected") === "true"
      );
    });
    const where = (el: Element) =>
      operationId(el.closest("[data-section-id]") ?? el) ??
      el.closest("[data-section-id]")?.getAttribute("data-section-id") ??
      "page";
    // Code blocks, and the path beside each operation's method (Redoc cuts a long one).
    const overflowing = Array.from(document.querySelectorAll("pre, .redoc-json, .http-verb + span"))
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => `${where(el)}: ${el.scrollWidth} > ${el.clientWidth} px`);
    // A TypeScript sample's lines, measured in its own font against its own width.
    const loneString = /^\s*([\w$]+: |"[^"]+": )?"(?:[^"\\]|\\.)*",?$/;
    const context = document.createElement("canvas").getContext("2d")!;
    const wrapped: string[] = [];
    for (const tab of Array.from(document.querySelectorAll('[role="tab"][aria-selected="true"]'))) {
      if (!tab.textContent?.startsWith("TypeScript")) continue;
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      const pre = panel?.querySelector("pre");
      if (!pre) continue;
      const style = getComputedStyle(pre);
      context.font = `${style.fontSize} ${style.fontFamily}`;
      for (const line of (pre.textContent ?? "").split("\n"))
        if (context.measureText(line).width > pre.clientWidth && !loneString.test(line))
          wrapped.push(`${where(pre)}: ${line}`);
    }
    const emptyHeaders = Array.from(document.querySelectorAll("table"))
      .filter((table) =>
        Array.from(table.querySelectorAll("thead th, thead td")).some(
          (cell) => !cell.textContent?.trim(),
        ),
      )
      .map((table) => `${where(table)}: ${table.querySelector("tr")?.textContent ?? ""}`);
    const info = Array.from(document.querySelectorAll(".api-info span, .api-info p"))
      .map((el) => el.textContent ?? "")
      .join(" ");
    return { notTypeScriptFirst, overflowing, wrapped, emptyHeaders, info };
  }, pathOperationIds);
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

      // What a reader sees at 1,440 px: the TypeScript sample first, nothing cut off, headers in
      // every table, and the licence named as this description's.
      const layout = await measureLayout(page, idsOf(operations));
      expect(layout.notTypeScriptFirst).toEqual([]);
      expect(layout.overflowing).toEqual([]);
      expect(layout.wrapped).toEqual([]);
      expect(layout.emptyHeaders).toEqual([]);
      const license = (doc.info as { license?: { name?: string } }).license?.name;
      expect(license).toMatch(/this description/);
      expect(layout.info).toContain(`License: ${license}`);

      // The introduction, and an operation with a body: its TypeScript sample is the tab shown.
      await page.screenshot({ path: path.join(results, `docs-${vendor}.png`) });
      const outside = CLIENT_SAMPLE_PROFILES[vendor]?.outsideClient ?? [];
      const post = operations.find(
        (o) => o.method === "post" && o.operation.requestBody && !outside.includes(o.path),
      );
      if (post) {
        const id = ids.find((i) => i.endsWith(`/operation/${String(post.operation.operationId)}`));
        const section = page.locator(`[data-section-id="${id}"]`).first();
        await section.evaluate((el) => el.scrollIntoView());
        const selected = section.locator('[role="tab"][aria-selected="true"]').first();
        await expect.poll(() => selected.textContent()).toMatch(/^TypeScript/);
        const call = new RegExp(
          `\\.POST\\(\\s*"${post.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`,
        );
        await expect
          .poll(() => section.locator('[role="tabpanel"]').allInnerTexts())
          .toContainEqual(expect.stringMatching(call));
        await page.screenshot({ path: path.join(results, `docs-${vendor}-operation.png`) });
      }
      expect(external).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    },
    120_000,
  );
});
