// Local `$ref`s ("#/components/…") of a bundled description, followed to what they name.
type Node = Record<string, unknown>;

/** The node `node` refers to (following chains of refs), and the JSON pointer of the last ref. */
export function refTarget(doc: unknown, node: unknown): { node: Node; pointer?: string } {
  let current = node as Node;
  let pointer: string | undefined;
  for (let hops = 0; typeof current?.$ref === "string"; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${String(current.$ref)}`);
    pointer = String(current.$ref).slice(1);
    current = pointer
      .split("/")
      .slice(1)
      .map((key) => key.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Node>((parent, key) => parent?.[key] as Node, doc as Node);
  }
  return { node: current ?? {}, ...(pointer === undefined ? {} : { pointer }) };
}

/** The node `node` refers to, or `node` itself. */
export const deref = (doc: unknown, node: unknown): Node => refTarget(doc, node).node;
