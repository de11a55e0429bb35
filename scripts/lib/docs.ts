// Offline reference docs: one Redoc 2 page per vendor sharing a single copy of the Redoc standalone
// script (shipped in dist/docs, so no page needs the network), and an index page.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { VendorStats } from "./stats.js";

const require = createRequire(import.meta.url);
export const REDOC_SCRIPT = "redoc.standalone.js";

// Redoc 2's sidebar footer loads its maker's logo from a CDN, the script's only network request
// (found by the offline browser test). The copy shipped in dist/docs shows an empty inline image
// instead; the build fails if Redoc changes and the URL is no longer there exactly once.
const REDOC_LOGO_URL = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

export async function copyRedocScript(docsDir: string): Promise<void> {
  await mkdir(docsDir, { recursive: true });
  const script = await readFile(require.resolve(`redoc/bundles/${REDOC_SCRIPT}`), "utf8");
  const parts = script.split(`"${REDOC_LOGO_URL}"`);
  if (parts.length !== 2)
    throw new Error(`${REDOC_SCRIPT}: expected the logo URL once, found ${parts.length - 1}`);
  await writeFile(path.join(docsDir, REDOC_SCRIPT), parts.join(JSON.stringify(EMPTY_SVG)));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON placed inside <script>: `<` is escaped so the text can never close the element. */
const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const REDOC_OPTIONS = {
  // Code samples come first: Redoc puts its generated request payload at this index among the
  // x-codeSamples, so the TypeScript sample is the first tab (and the payload, where there is one,
  // the second). Webhooks, which have no sample, still show their payload.
  payloadSampleIdx: 1,
  expandResponses: "200",
  jsonSampleExpandLevel: 3,
  pathInMiddlePanel: true,
  requiredPropsFirst: true,
  sortPropsAlphabetically: false,
  hideDownloadButton: false,
  nativeScrollbars: true,
  theme: {
    // Half the page for the samples (Redoc's default is 40%): SAMPLE_WIDTH columns of code fit
    // from a 1,400 px window up (scripts/lib/code-samples.ts, checked by test/docs/browser.test.ts).
    rightPanel: { width: "50%" },
    // System fonts: Redoc's default font families would otherwise be requested from a font CDN by
    // templates that add them; here nothing is fetched.
    typography: {
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      headings: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
      // wrap: lines wider than the panel (a narrower window, a long path or form body) wrap
      // instead of being cut off at the panel's edge.
      code: {
        fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
        wrap: true,
      },
    },
  },
};

// Redoc's wrapping breaks lines at spaces only; a token longer than the panel (a URL in a JSON
// sample) is broken anywhere rather than cut off. The introduction's code blocks (`pre > code`,
// which Redoc keeps at white-space: pre) wrap like the samples. In a sample tab, a line wider than
// the panel (a long path literal) breaks at the panel's edge, rather than leaving its indentation
// on a line of its own. The path beside an operation's method is shown whole, wrapped if need be,
// and tall enough for its underscores (Redoc clips them and cuts a long path with an ellipsis).
const PAGE_STYLE = `body { margin: 0; padding: 0; }
.redoc-wrap .http-verb + span { white-space: normal; overflow-wrap: anywhere; text-overflow: clip; line-height: 1.5; }
.redoc-wrap pre, .redoc-wrap .redoc-json { overflow-wrap: anywhere; }
.redoc-wrap pre > code { white-space: pre-wrap !important; overflow-wrap: anywhere; }
.redoc-wrap .react-tabs__tab-panel pre { word-break: break-all; }`;

export function vendorPage(title: string, bundled: Record<string, unknown>): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — commerce-openapi</title>
<style>
${PAGE_STYLE}
</style>
</head>
<body>
<div id="redoc-container"></div>
<script src="${REDOC_SCRIPT}"></script>
<script id="openapi-description" type="application/json">${jsonForScript(bundled)}</script>
<script>
  Redoc.init(
    JSON.parse(document.getElementById("openapi-description").textContent),
    ${JSON.stringify(REDOC_OPTIONS)},
    document.getElementById("redoc-container"),
  );
</script>
</body>
</html>
`;
}

export interface IndexEntry {
  vendor: string;
  stats: VendorStats;
  paging: string;
}

export function indexPage(entries: readonly IndexEntry[]): string {
  const cards = entries
    .map(
      ({ vendor, stats, paging }) => `  <li class="card">
    <h2><a href="${escapeHtml(vendor)}.html">${escapeHtml(stats.title)}</a></h2>
    <p>${escapeHtml(stats.summary)}</p>
    <dl>
      <dt>Operations</dt><dd data-field="operations">${stats.operations}</dd>
      <dt>Evidence</dt><dd><span data-field="confirmed">${stats.confirmed}</span> confirmed, <span data-field="inferred">${stats.inferred}</span> inferred</dd>
      <dt>Webhooks</dt><dd data-field="webhooks">${stats.webhooks}</dd>
      <dt>Authentication</dt><dd>${stats.authSchemes.map(escapeHtml).join("; ")}</dd>
      <dt>Paging</dt><dd>${escapeHtml(paging)}</dd>
    </dl>
  </li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>commerce-openapi — vendor API reference</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  ul { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
  .card { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; }
  .card h2 { margin-top: 0; font-size: 1.2rem; }
  .card p { margin: 0 0 .75rem; color: #444; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem .75rem; margin: 0; }
  dt { color: #666; }
  dd { margin: 0; }
</style>
</head>
<body>
<h1>commerce-openapi</h1>
<p>Hand-authored OpenAPI 3.1 descriptions of commerce and POS vendor APIs. Every operation cites its
source; <em>inferred</em> ones are not confirmed by the vendor's own documentation.</p>
<ul>
${cards}
</ul>
</body>
</html>
`;
}

export async function writeDocs(docsDir: string, file: string, html: string): Promise<void> {
  await mkdir(docsDir, { recursive: true });
  await writeFile(path.join(docsDir, file), html);
}
