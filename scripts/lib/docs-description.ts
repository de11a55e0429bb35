// The description the docs render: the bundle, plus the hand-written overlays
// (`overlays/<vendor>.*.yaml`: introduction, tag groups), plus an overlay the build derives from the
// result and writes to generated/<vendor>/docs.overlay.yaml: a TypeScript code sample on every
// operation, an "Unverified" note on every inferred one, PHP-bracket form examples as field lists
// (docs-form-examples.ts) and the licence's name in place of its SPDX identifier. The bundle itself
// (what the clients are typed from) never changes.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { CLIENT_SAMPLE_PROFILES, type ClientSampleProfile } from "./code-sample-profiles.js";
import { codeSampleFor } from "./code-samples.js";
import { phpBracketExampleActions } from "./docs-form-examples.js";
import {
  applyOverlay,
  parseOverlay,
  serializeOverlay,
  tagGroupProblems,
  type OverlayAction,
  type OverlayDocument,
} from "./overlays.js";
import type { Problem } from "./problems.js";
import { operationsOf, type Operation } from "./stats.js";
import { repoRoot, type Vendor } from "./vendors.js";

type Doc = Record<string, unknown>;

export const UNVERIFIED_MARK = "**Unverified.**";

interface Evidence {
  level?: string;
  source?: string;
}

/** The note shown first in an inferred operation's description. */
export function unverifiedNote(evidence: Evidence): string {
  const source = evidence.source ?? "none given";
  let cited = source;
  if (/^https?:\/\//.test(source)) {
    const url = new URL(source);
    const file = url.pathname.split("/").filter(Boolean).pop();
    cited = `[${url.hostname}${file ? ` › ${file}` : ""}](${source})`;
  }
  return (
    `> ${UNVERIFIED_MARK} Inferred, not confirmed by the vendor's documentation: the description ` +
    `says what rests on deduction. Check it against real traffic before relying on it. Source: ${cited}.`
  );
}

// JSONPath member names are written in single quotes; no path or webhook name here contains one.
const target = (section: "paths" | "webhooks", op: Operation) => {
  if (op.path.includes("'")) throw new Error(`cannot target ${op.path} (contains a quote)`);
  return `$.${section}['${op.path}'].${op.method}`;
};

function derivedOverlay(
  doc: Doc,
  vendor: Vendor,
  profile = CLIENT_SAMPLE_PROFILES[vendor.name],
): OverlayDocument {
  if (!profile)
    throw new Error(`no client sample profile for ${vendor.name} in code-sample-profiles.ts`);
  const actions: OverlayAction[] = [];
  for (const section of ["paths", "webhooks"] as const) {
    for (const op of operationsOf(doc, section)) {
      const update: Doc = {};
      if (section === "paths") update["x-codeSamples"] = [codeSampleFor(doc, op, profile)];
      const evidence = op.operation["x-evidence"] as Evidence | undefined;
      if (evidence?.level === "inferred") {
        const description = String(op.operation.description ?? "");
        update.description = `${unverifiedNote(evidence)}\n\n${description}`.trimEnd() + "\n";
      }
      if (Object.keys(update).length > 0) actions.push({ target: target(section, op), update });
      if (op.operation.requestBody)
        actions.push(
          ...phpBracketExampleActions(
            doc,
            op.operation.requestBody,
            `${target(section, op)}.requestBody`,
          ),
        );
    }
  }
  // Redoc prints a licence's SPDX identifier instead of its name, and the name is what says whose
  // licence it is ("MIT (this description, not the vendor's API)"): the docs show the name.
  const license = (doc.info as Doc).license as Doc | undefined;
  if (license?.name && license.identifier)
    actions.push({ target: "$.info.license.identifier", remove: true });
  return {
    overlay: "1.0.0",
    info: {
      title: `${String((doc.info as Doc).title)}: code samples and evidence notes`,
      version: String((doc.info as Doc).version),
    },
    actions,
  };
}

export const GENERATED_OVERLAY_HEADER =
  "# Written by `npm run build` from the description (scripts/lib/docs-description.ts): do not edit.\n";

/** `overlays/<vendor>.*.yaml`, in name order. */
async function handOverlays(vendor: Vendor): Promise<string[]> {
  const dir = path.join(repoRoot, "overlays");
  const files = await readdir(dir).catch(() => [] as string[]);
  return files
    .filter((f) => f.startsWith(`${vendor.name}.`) && f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface DocsDescription {
  description: Doc;
  /** generated/<vendor>/docs.overlay.yaml, exactly as written. */
  overlayYaml: string;
  problems: Problem[];
}

export async function docsDescription(
  bundled: Doc,
  vendor: Vendor,
  profile?: ClientSampleProfile,
): Promise<DocsDescription> {
  let doc = bundled;
  const problems: Problem[] = [];
  for (const file of await handOverlays(vendor)) {
    const where = path.relative(repoRoot, file);
    const overlay = (await parseOverlay(await readFile(file, "utf8"))) as OverlayDocument;
    const applied = await applyOverlay(doc, overlay, where);
    doc = applied.doc;
    problems.push(...applied.problems);
  }
  const derived = derivedOverlay(doc, vendor, profile);
  const where = path.relative(repoRoot, vendor.docsOverlayPath);
  const applied = await applyOverlay(doc, derived, where);
  problems.push(
    ...applied.problems,
    ...tagGroupProblems(applied.doc, `overlays/${vendor.name}.docs.yaml`),
  );
  return {
    description: applied.doc,
    overlayYaml: GENERATED_OVERLAY_HEADER + (await serializeOverlay(derived)),
    problems,
  };
}
