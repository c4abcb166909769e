/**
 * A directory without a kustomization file, rendered the way Flux's kustomize-controller does: as if it
 * held a kustomization listing its subdirectories that have one, and every other YAML file in its tree
 * that is a Kubernetes object (has apiVersion and kind).
 */
import { posix } from "node:path";
import { KUSTOMIZATION_NAMES, type RenderReader } from "./reader.js";

const OBJECT = /^apiVersion:\s*\S/m;
const KIND = /^kind:\s*\S/m;

export async function implicitKustomization(reader: RenderReader, dir: string): Promise<string | undefined> {
  if (!reader.listFiles) return undefined;
  const under = dir === "." ? "" : `${dir}/`;
  const files = (await reader.listFiles(dir)).filter((f) => f.startsWith(under)).sort();
  const withKustomization = files.filter((f) => KUSTOMIZATION_NAMES.includes(posix.basename(f))).map(posix.dirname);
  const inside = (f: string, d: string) => f.startsWith(`${d}/`);
  const roots = withKustomization.filter((d) => !withKustomization.some((o) => o !== d && inside(d, o)));
  const resources = roots.map((d) => posix.relative(dir, d));
  for (const f of files) {
    if (!/\.ya?ml$/i.test(f) || roots.some((d) => inside(f, d))) continue;
    const content = await reader.readFile(f);
    const text = typeof content === "string" ? content : content ? new TextDecoder().decode(content) : "";
    if (OBJECT.test(text) && KIND.test(text)) resources.push(posix.relative(dir, f));
  }
  if (resources.length === 0) return undefined;
  return (
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" +
    resources.map((r) => `  - ${JSON.stringify(r)}\n`).join("")
  );
}
