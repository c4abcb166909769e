/**
 * The files one kustomize render reads, found by walking the kustomization graph from the entry point
 * before kustomize runs: so that only those files are copied into the sandbox, so that a change to any of
 * them can target the environment, and so that a missing file, a cycle, a remote base or a Helm chart
 * is a located failure (on the line that names it) instead of a tool error.
 */
import { posix } from "node:path";
import { parseManifestFile } from "../manifests/parse.js";
import type { DocPath, Finding, ManifestDocument, SourceLocation } from "../types.js";
import { implicitKustomization } from "./implicit.js";
import { renderProblem } from "./problems.js";
import { KUSTOMIZATION_NAMES, type RenderReader } from "./reader.js";
import { isRemote } from "./remote.js";

export interface KustomizeInputs {
  /** The entry point directory, repository-relative. */
  entry: string;
  /** Every file the render reads, by repository-relative path. */
  files: Map<string, string | Uint8Array>;
  /** The parsed kustomization file of each visited directory, by file path. */
  kustomizations: Map<string, ManifestDocument>;
  problems: Finding[];
  /** The kustomization generated for an entry point that has none (not a repository file). */
  generated?: string;
}

export interface WalkOptions {
  /** Remote bases and resources (URLs, git repositories) are refused unless this is set. */
  allowRemote?: boolean;
}

/** Fields whose string items are files or kustomization directories. */
const LIST_FIELDS = ["resources", "bases", "components", "crds", "configurations", "generators", "transformers"];
const MORE_LIST_FIELDS = ["validators"];
/** Fields whose items are objects that may name a file in `path`. */
const PATH_FIELDS = ["patches", "patchesJson6902", "replacements"];

interface Missing {
  path: string;
  at: SourceLocation;
}

export async function walkKustomization(
  reader: RenderReader,
  entry: string,
  options: WalkOptions = {},
): Promise<KustomizeInputs> {
  const out: KustomizeInputs = { entry, files: new Map(), kustomizations: new Map(), problems: [] };
  const missing: Missing[] = [];
  const visited = new Set<string>();

  const readInto = async (path: string): Promise<boolean> => {
    if (out.files.has(path)) return true;
    const content = await reader.readFile(path);
    if (content === undefined) return false;
    out.files.set(path, content);
    return true;
  };

  const visit = async (dir: string, stack: string[], at: SourceLocation): Promise<boolean> => {
    let file: string | undefined;
    for (const name of KUSTOMIZATION_NAMES) {
      const candidate = posix.join(dir, name);
      if (await readInto(candidate)) {
        file = candidate;
        break;
      }
    }
    if (!file) return false;
    if (stack.includes(dir)) {
      out.problems.push(renderProblem("cycle", `kustomization cycle: ${[...stack, dir].join(" → ")}`, at));
      return true;
    }
    if (visited.has(dir)) return true;
    visited.add(dir);
    const parsed = parseManifestFile({ path: file, content: out.files.get(file)! });
    out.problems.push(...parsed.problems);
    const doc = parsed.documents[0];
    if (!doc) return true;
    out.kustomizations.set(file, doc);
    await references(doc, dir, [...stack, dir]);
    return true;
  };

  /** One reference from a kustomization at `dir`: a file, or else a kustomization directory when allowed. */
  const reference = async (doc: ManifestDocument, dir: string, stack: string[], ref: unknown, path: DocPath) => {
    if (typeof ref !== "string" || ref === "") return;
    const at = doc.locate(path);
    if (isRemote(ref)) {
      if (options.allowRemote) return;
      const msg =
        `remote reference "${ref}" is not rendered: rendering runs offline (allow remote bases in ` + `the config)`;
      out.problems.push(renderProblem("remote-base", msg, at));
      return;
    }
    const target = posix.normalize(posix.join(dir, ref));
    if (posix.isAbsolute(ref) || target === ".." || target.startsWith("../")) {
      out.problems.push(renderProblem("outside-repository", `"${ref}" is outside the repository`, at));
      return;
    }
    const canBeDirectory = path.length === 2 && typeof path[0] === "string" && isListField(path[0]);
    if (await readInto(target)) return;
    if (canBeDirectory && (await visit(target, stack, at))) return;
    missing.push({ path: target, at });
  };

  const references = async (doc: ManifestDocument, dir: string, stack: string[]) => {
    const k = doc.value;
    for (const field of [...LIST_FIELDS, ...MORE_LIST_FIELDS]) {
      const items = k[field];
      if (!Array.isArray(items)) continue;
      for (let i = 0; i < items.length; i++) await reference(doc, dir, stack, items[i], [field, i]);
    }
    const smp = k.patchesStrategicMerge;
    if (Array.isArray(smp)) {
      for (let i = 0; i < smp.length; i++) {
        // An item with a line break is an inline patch, not a file name.
        if (typeof smp[i] === "string" && !smp[i].includes("\n"))
          await reference(doc, dir, stack, smp[i], ["patchesStrategicMerge", i]);
      }
    }
    for (const field of PATH_FIELDS) {
      const items = k[field];
      if (!Array.isArray(items)) continue;
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as Record<string, unknown> | null;
        if (item && typeof item === "object") await reference(doc, dir, stack, item.path, [field, i, "path"]);
      }
    }
    for (const field of ["configMapGenerator", "secretGenerator"]) {
      const items = k[field];
      if (!Array.isArray(items)) continue;
      for (let i = 0; i < items.length; i++) {
        const g = items[i] as Record<string, unknown> | null;
        if (!g || typeof g !== "object") continue;
        const files = Array.isArray(g.files) ? g.files : [];
        for (let j = 0; j < files.length; j++) {
          // `key=path` names the key; the file is after the first `=`.
          const f = typeof files[j] === "string" ? (files[j] as string).replace(/^[^=]*=/, "") : undefined;
          await reference(doc, dir, stack, f, [field, i, "files", j]);
        }
        const envs = Array.isArray(g.envs) ? g.envs : [];
        for (let j = 0; j < envs.length; j++) await reference(doc, dir, stack, envs[j], [field, i, "envs", j]);
        await reference(doc, dir, stack, g.env, [field, i, "env"]);
      }
    }
    const openapi = k.openapi as Record<string, unknown> | undefined;
    if (openapi && typeof openapi === "object") await reference(doc, dir, stack, openapi.path, ["openapi", "path"]);
    for (const field of ["helmCharts", "helmChartInflationGenerator"]) {
      const charts = k[field];
      if (!Array.isArray(charts) || charts.length === 0) continue;
      const msg = `${field} is not rendered yet (Helm inflation inside kustomize is not supported): not judged`;
      out.problems.push(renderProblem("helm-not-rendered", msg, doc.locate([field])));
    }
  };

  const entryAt: SourceLocation = { file: entry, line: 1 };
  let found = await visit(entry, [], entryAt);
  if (!found) {
    const text = await implicitKustomization(reader, entry);
    if (text !== undefined) {
      out.generated = posix.join(entry, KUSTOMIZATION_NAMES[0]);
      out.files.set(out.generated, text);
      found = await visit(entry, [], entryAt);
    }
  }
  if (!found) {
    out.problems.push(
      renderProblem("not-kustomization", `${entry} has no ${KUSTOMIZATION_NAMES.join(", ")}: nothing to render`, {
        file: entry,
        line: 1,
      }),
    );
  }
  if (missing.length > 0) out.problems.push(missingProblem(missing));
  return out;
}

function isListField(field: string): boolean {
  return LIST_FIELDS.includes(field) || MORE_LIST_FIELDS.includes(field);
}

/** One failure for all missing files (kustomize would stop at the first), on the line naming the first. */
function missingProblem(missing: Missing[]): Finding {
  const [first, ...rest] = missing;
  const more = rest.length
    ? `; also missing: ${rest.map((m) => `${m.path} (${m.at.file}:${m.at.line})`).join(", ")}`
    : "";
  return renderProblem("missing-file", `${first.path} does not exist in the repository${more}`, first.at);
}
