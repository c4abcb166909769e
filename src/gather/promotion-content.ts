import picomatch from "picomatch";
import type { EnvironmentConfig } from "../config/types.js";
import { gatesOf } from "../config/gates.js";
import type { PromotionFacts } from "../gate/pr-input.js";
import { mapPath, sameContent, type PathMap } from "./content-compare.js";
import type { PullFacts, PullFile } from "./pull-facts.js";

/**
 * Content-mode promotion (directory per environment): each promoted file must
 * carry its source-stage counterpart's content, and the change soaked since
 * the last of those counterparts landed in the source stage.
 */

/** Mapped files whose source-side history is read for `soak` (one request each). */
export const MAX_SOAK_FILES = 20;

export interface ContentResult {
  missing: PromotionFacts["files_not_in_source"];
  sourcePaths: string[];
}

/** Two reads in all: the PR's side at its head, the source side at `sourceRef`. */
export async function contentFacts(
  facts: PullFacts,
  req: { env: EnvironmentConfig; files: PullFile[]; headSha: string },
  pathMap: PathMap,
  sourceRef: string,
): Promise<ContentResult> {
  const ignore = gatesOf(req.env).promotion?.ignore_fields ?? [];
  const pairs = filesOfEnvironment(req.env, req.files).map((f) => ({ file: f, source: mapPath(f.path, pathMap) }));
  const missing: ContentResult["missing"] = [];
  const mappable = pairs.filter((p): p is { file: PullFile; source: string } => p.source !== null);
  for (const p of pairs) if (p.source === null) missing.push({ path: p.file.path, source_path: "", reason: "missing" });
  const kept = mappable.filter((p) => p.file.status !== "removed");
  const none = new Map<string, Uint8Array | undefined>();
  const ours = kept.length
    ? await facts.readFiles(
        req.headSha,
        kept.map((p) => p.file.path),
      )
    : none;
  const theirs = mappable.length
    ? await facts.readFiles(
        sourceRef,
        mappable.map((p) => p.source),
      )
    : none;
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  for (const { file, source } of mappable) {
    const src = theirs.get(source);
    if (file.status === "removed") {
      if (src !== undefined) missing.push({ path: file.path, source_path: source, reason: "different" });
      continue;
    }
    const own = ours.get(file.path);
    if (src === undefined) missing.push({ path: file.path, source_path: source, reason: "missing" });
    else if (own === undefined || !sameContent(text(own), text(src), ignore))
      missing.push({ path: file.path, source_path: source, reason: "different" });
  }
  return { missing, sourcePaths: kept.map((p) => p.source) };
}

/** The PR's files that belong to `env`: inside its `paths` (all files when it has none). */
function filesOfEnvironment(env: EnvironmentConfig, files: PullFile[]): PullFile[] {
  if (env.paths.length === 0) return files;
  return files.filter((f) => env.paths.some((g) => picomatch(g, { dot: true })(f.path)));
}

/**
 * The latest commit on the source ref touching each mapped source path (one
 * read per file, first MAX_SOAK_FILES files only); the content was complete
 * in the source stage when the last of them landed.
 */
export async function contentSoak(facts: PullFacts, sourcePaths: string[], sourceRef: string): Promise<number | null> {
  let latest: number | null = null;
  for (const path of sourcePaths.slice(0, MAX_SOAK_FILES)) {
    const date = (await facts.lastCommitTouching(sourceRef, path))?.committedAt;
    if (typeof date !== "string") return null;
    const ns = Date.parse(date) * 1e6;
    if (latest === null || ns > latest) latest = ns;
  }
  return latest;
}
