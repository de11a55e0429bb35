// OpenAPI Overlay 1.0 documents, applied with openapi-format (a real, offline Overlay
// implementation). openapi-format only logs what it cannot apply; here an overlay that is malformed
// or has an action whose target matches nothing is a build error, so an overlay cannot silently go
// stale when a path is renamed.
import { openapiOverlay, parseString, stringify } from "openapi-format";
import type { Problem } from "./problems.js";

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface OverlayDocument {
  overlay: string;
  info: { title: string; version: string };
  actions: OverlayAction[];
}

type Doc = Record<string, unknown>;

const problem = (rule: string, message: string, where: string): Problem => ({
  tool: "build",
  severity: "error",
  rule,
  message,
  where,
});

export async function parseOverlay(text: string): Promise<unknown> {
  const parsed = await parseString(text);
  if (parsed instanceof Error) throw parsed;
  return parsed;
}

export const serializeOverlay = async (overlay: OverlayDocument) =>
  stringify(overlay as unknown as Record<string, unknown>, { lineWidth: -1 });

/** Problems with the overlay document itself (the Overlay 1.0 fields this build relies on). */
export function overlayShapeProblems(overlay: unknown, where: string): Problem[] {
  const o = overlay as Partial<OverlayDocument> | null;
  const problems: Problem[] = [];
  if (!/^1\.0\.\d+$/.test(String(o?.overlay)))
    problems.push(problem("overlay-version", "`overlay` must be an Overlay 1.0.x version", where));
  if (typeof o?.info?.title !== "string" || typeof o.info.version !== "string")
    problems.push(problem("overlay-info", "`info.title` and `info.version` are required", where));
  if (!Array.isArray(o?.actions) || o.actions.length === 0)
    problems.push(problem("overlay-actions", "`actions` must be a non-empty list", where));
  else
    o.actions.forEach((action, i) => {
      if (typeof action?.target !== "string" || !("update" in action || action.remove === true))
        problems.push(
          problem("overlay-action", `action ${i + 1}: needs a target and update or remove`, where),
        );
    });
  return problems;
}

/** The document with the overlay applied (the input is left untouched). */
export async function applyOverlay(
  doc: Doc,
  overlay: OverlayDocument,
  where: string,
): Promise<{ doc: Doc; problems: Problem[] }> {
  const shape = overlayShapeProblems(overlay, where);
  if (shape.length > 0) return { doc, problems: shape };
  const { data, resultData } = await openapiOverlay(structuredClone(doc) as never, {
    overlaySet: overlay as never,
  });
  const unused = (resultData as { unusedActions?: OverlayAction[] }).unusedActions ?? [];
  return {
    doc: data as Doc,
    problems: unused.map((action) =>
      problem(
        "overlay-target-missing",
        `action on ${action.target} matches nothing in the description`,
        where,
      ),
    ),
  };
}

/**
 * Redoc shows only the tags listed in `x-tagGroups` once there are groups: every tag an operation or
 * webhook uses must be in exactly one group, and every grouped tag must exist.
 */
export function tagGroupProblems(doc: Doc, where: string): Problem[] {
  const groups = doc["x-tagGroups"] as { name: string; tags: string[] }[] | undefined;
  if (!groups) return [];
  const used = new Set<string>();
  for (const section of ["paths", "webhooks"] as const)
    for (const item of Object.values((doc[section] ?? {}) as Record<string, Doc>))
      for (const op of Object.values(item))
        for (const tag of ((op as Doc | undefined)?.tags as string[] | undefined) ?? [])
          used.add(tag);
  const declared = new Set(((doc.tags ?? []) as { name: string }[]).map((t) => t.name));
  const grouped = groups.flatMap((g) => g.tags);
  const problems: Problem[] = [];
  for (const tag of used)
    if (grouped.filter((t) => t === tag).length !== 1)
      problems.push(
        problem("tag-groups", `tag "${tag}" must be in exactly one of x-tagGroups`, where),
      );
  for (const tag of grouped)
    if (!declared.has(tag) && !used.has(tag))
      problems.push(problem("tag-groups", `x-tagGroups names an unknown tag "${tag}"`, where));
  return problems;
}
