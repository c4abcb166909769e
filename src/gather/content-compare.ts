import { decodeK8sYaml, sameK8sValue, type K8sValue } from "./k8s-yaml.js";

/**
 * Content-mode promotion: a file promoted to an environment must carry the
 * same content as its counterpart in the source stage, compared as the data
 * Kubernetes decodes (k8s-yaml.ts: unquoted `yes` is true, `0755` is octal;
 * comments, key order and formatting do not matter), except for fields that
 * legitimately differ per environment such as replica counts. Pure.
 */

export interface PathMap {
  /** Path prefix of the source stage, e.g. `envs/staging/`. */
  from: string;
  /** Path prefix of the promoted-to stage, e.g. `envs/production/`. */
  to: string;
}

/** The source-stage path of a promoted file (`to` prefix → `from` prefix); null when the file is outside `to`. */
export function mapPath(path: string, pathMap: PathMap): string | null {
  if (!path.startsWith(pathMap.to)) return null;
  return pathMap.from + path.slice(pathMap.to.length);
}

/**
 * A default mapping from two environments' first `paths` globs: their static
 * prefixes up to the last `/` before any glob character (`envs/staging/**` →
 * `envs/staging/`). Null when either has no usable prefix.
 */
export function defaultPathMap(sourcePaths: string[], targetPaths: string[]): PathMap | null {
  const from = sourcePaths[0] !== undefined ? staticPrefix(sourcePaths[0]) : "";
  const to = targetPaths[0] !== undefined ? staticPrefix(targetPaths[0]) : "";
  return from && to && from !== to ? { from, to } : null;
}

function staticPrefix(glob: string): string {
  const magic = glob.search(/[*?[\]{}()!+@]/);
  const head = magic < 0 ? glob : glob.slice(0, magic);
  return head.slice(0, head.lastIndexOf("/") + 1);
}

/**
 * Whether two YAML texts hold the same documents (in order; empty documents
 * are skipped), ignoring the listed fields. Text that Kubernetes could not
 * decode is compared byte for byte.
 */
export function sameContent(a: string, b: string, ignoreFields: string[]): boolean {
  if (a === b) return true;
  const docsA = documents(a);
  const docsB = documents(b);
  if (!docsA || !docsB) return false;
  if (docsA.length !== docsB.length) return false;
  const paths = ignoreFields.map(parseFieldPath).filter((p): p is string[] => p !== null);
  return docsA.every((doc, i) => sameK8sValue(strip(doc, paths), strip(docsB[i], paths)));
}

function documents(text: string): K8sValue[] | null {
  try {
    return decodeK8sYaml(text);
  } catch {
    return null;
  }
}

/**
 * `spec.replicas`, `metadata.annotations["argocd.argoproj.io/sync-wave"]`,
 * `spec.template.spec.containers.*.image` (`*` is any key or index). Null for
 * a malformed path, which then ignores nothing.
 */
export function parseFieldPath(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === "[") {
      const m = /^\[(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\d+|\*))\]/.exec(text.slice(i));
      if (!m) return null;
      out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]));
      i += m[0].length;
      if (text[i] === ".") i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
    if (j === i) return null;
    out.push(text.slice(i, j));
    i = text[j] === "." ? j + 1 : j;
    if (text[j] === "." && i === text.length) return null;
  }
  return out.length ? out : null;
}

/** A copy of `value` without the fields at `paths`. */
function strip(value: unknown, paths: string[][]): unknown {
  let v = value;
  for (const p of paths) v = without(v, p);
  return v;
}

function without(value: unknown, path: string[]): unknown {
  if (path.length === 0 || value === null || typeof value !== "object") return value;
  const [key, ...rest] = path;
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (key !== "*" && key !== String(i)) return item;
      return rest.length === 0 ? IGNORED : without(item, rest);
    });
  }
  // a null prototype so that a `__proto__` key stays a plain key
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (key !== "*" && key !== k) out[k] = v;
    else if (rest.length > 0) out[k] = without(v, rest);
  }
  return out;
}

/** Placeholder for an ignored array element, so indexes of the others stay put. */
const IGNORED = Symbol("ignored");
