/**
 * The gather phase of rendering: which files each environment's entry points read (so that a change to a
 * base targets every environment that includes it), and the renders themselves at the base and at the
 * commit that would land, through the GitHub gateway and the render cache. Everything here reads; the
 * judge gets the results as facts.
 */
import { entryPoints, type EntryPoint } from "../config/render.js";
import type { EnvironmentConfig } from "../config/types.js";
import type { EntryRender, EnvironmentRender } from "../gate/judge-rendered.js";
import type { GitHubClient } from "../github/client.js";
import { gatherHelmInputs } from "../render/helm-inputs.js";
import { HELM_VERSION } from "../render/helm-tool.js";
import { renderDiscovered } from "../render/discover-read.js";
import { renderHelm } from "../render/helm.js";
import { walkKustomization } from "../render/inputs.js";
import { renderProblem } from "../render/problems.js";
import { renderKustomize, type RenderedEntry } from "../render/render.js";
import { KUSTOMIZE_VERSION, RenderToolError } from "../render/toolchain.js";
import type { Finding } from "../types.js";
import {
  sharedBlobCache,
  sharedRenderCache,
  sharedRenderSlots,
  type RenderCache,
  type RenderSlots,
} from "./render-cache.js";
import { discoveredEntries, mergeEntries, type PlannedEntry } from "./render-discover.js";
import { BlobCache, RenderReadError, TreeReader } from "./tree-reader.js";

export interface RenderSides {
  repoKey: string;
  /** The commit the change applies to (the base branch's tip); undefined: nothing to compare with. */
  baseSha?: string;
  headSha: string;
  maxFileBytes: number;
}

export class RenderGatherer {
  private readonly readers = new Map<string, TreeReader>();
  /** Each environment's entry points (explicit and discovered), worked out once per evaluation. */
  private readonly planned = new Map<string, Promise<PlannedEntry[]>>();

  constructor(
    private readonly client: GitHubClient,
    private sides: RenderSides,
    private readonly cache: RenderCache = sharedRenderCache,
    private readonly blobs: BlobCache = sharedBlobCache,
    private readonly slots: RenderSlots = sharedRenderSlots,
  ) {}

  /** Renders the head at another commit (the head itself, when the test merge commit turned out stale). */
  useHead(sha: string): void {
    this.sides = { ...this.sides, headSha: sha };
  }

  /**
   * Every file the environment's entry points read at the base or the head, for targeting; undefined when
   * that could not be worked out (the environment is then targeted, and its render says what failed).
   */
  async reads(env: EnvironmentConfig): Promise<ReadonlySet<string> | undefined> {
    const out = new Set<string>();
    try {
      const planned = await this.entries(env);
      for (const reader of this.both()) {
        for (const ep of planned) for (const f of await readsOf(reader, ep)) out.add(f);
      }
    } catch {
      return undefined;
    }
    return out;
  }

  /** The environment's entry points rendered on both sides (cached), and what they read. */
  async render(env: EnvironmentConfig): Promise<EnvironmentRender> {
    const entries: EntryRender[] = [];
    const reads = new Set<string>();
    let planned: PlannedEntry[];
    try {
      planned = await this.entries(env);
    } catch (e) {
      if (!readFailure(e)) throw e;
      const at = { file: env.paths[0]?.replace(/\*.*$/, "") || ".", line: 1 };
      const why = `discovering ${env.name}'s entry points: ${(e as Error).message}`;
      const head = failed(at.file, renderProblem("failed", why, at));
      return { entries: [{ label: "discover", head }], reads, judge: env.render?.judge ?? "changed" };
    }
    for (const ep of planned) {
      const base = this.sides.baseSha ? await this.renderAt(this.reader(this.sides.baseSha), ep) : undefined;
      const head = await this.renderAt(this.reader(this.sides.headSha), ep);
      for (const f of [...(base?.reads ?? []), ...head.reads]) reads.add(f);
      entries.push({ label: ep.label, ...(base ? { base } : {}), head });
    }
    return { entries, reads, judge: env.render?.judge ?? "changed" };
  }

  /** Explicit entry points, then those discovered at the base tree (the head's, when there is no base). */
  private entries(env: EnvironmentConfig): Promise<PlannedEntry[]> {
    let p = this.planned.get(env.name);
    if (!p) {
      const reader = this.reader(this.sides.baseSha ?? this.sides.headSha);
      p = discoveredEntries(reader, env, this.sides.repoKey).then((found) => mergeEntries(entryPoints(env), found));
      this.planned.set(env.name, p);
    }
    return p;
  }

  private both(): TreeReader[] {
    const shas = [this.sides.baseSha, this.sides.headSha].filter((s): s is string => s !== undefined);
    return [...new Set(shas)].map((s) => this.reader(s));
  }

  private reader(sha: string): TreeReader {
    let r = this.readers.get(sha);
    if (!r) this.readers.set(sha, (r = new TreeReader(this.client, sha, this.blobs, this.sides.maxFileBytes)));
    return r;
  }

  private async renderAt(reader: TreeReader, ep: PlannedEntry): Promise<RenderedEntry> {
    const at = { file: `${ep.dir}/${ep.kind === "helm" ? "Chart.yaml" : "kustomization.yaml"}`, line: 1 };
    try {
      const tool = ep.kind === "helm" ? `helm ${HELM_VERSION} ${JSON.stringify(ep.values)}` : KUSTOMIZE_VERSION;
      const d = ep.discovered;
      // A discovered chart also renders with its declaring object's inline values, release name and namespace.
      const how = d ? [JSON.stringify([d.by, d.inlineValues, d.releaseName, d.namespace])] : [];
      const key = [this.sides.repoKey, ep.label, await reader.fingerprint(), tool, ...how].join("\0");
      return await this.cache.get(key, () =>
        this.slots.run(() =>
          d
            ? renderDiscovered(reader, d)
            : ep.kind === "helm"
              ? renderHelm(reader, ep.dir, { valuesFiles: ep.values })
              : renderKustomize(reader, ep.dir),
        ),
      );
    } catch (e) {
      if (!readFailure(e)) throw e;
      const truncated = (e as { truncatedTree?: boolean }).truncatedTree === true;
      const why = truncated ? `${(e as Error).message}, so its files could not be read` : (e as Error).message;
      return failed(ep.dir, renderProblem("failed", `${ep.label} at ${reader.sha.slice(0, 7)}: ${why}`, at));
    }
  }
}

/** A failure to read or render that is the environment's failure, not the app's. */
function readFailure(e: unknown): boolean {
  const truncated = (e as { truncatedTree?: boolean }).truncatedTree === true;
  return e instanceof RenderReadError || e instanceof RenderToolError || truncated;
}

/** The files one entry point reads at a commit (a kustomization graph's, or a chart's and its values). */
async function readsOf(reader: TreeReader, ep: EntryPoint): Promise<string[]> {
  if (ep.kind === "helm") {
    const inputs = await gatherHelmInputs(reader, ep.dir, { valuesFiles: ep.values });
    return [...new Set([...inputs.repoPath.values(), ...ep.values])];
  }
  const inputs = await walkKustomization(reader, ep.dir);
  return [...inputs.files.keys()].filter((f) => f !== inputs.generated);
}

/** An entry point that could not be rendered: its problem is a failure on the environment. */
function failed(entry: string, problem: Finding): RenderedEntry {
  return {
    entry,
    reads: [],
    objects: [],
    files: [{ file: problem.location.file, documents: [], problems: [problem] }],
    problems: [problem],
    annotate: () => undefined,
  };
}

/** `reads` of every environment that renders, by name. */
export async function readsByEnvironment(
  gatherer: RenderGatherer,
  envs: EnvironmentConfig[],
): Promise<Map<string, ReadonlySet<string> | undefined>> {
  const out = new Map<string, ReadonlySet<string> | undefined>();
  for (const env of envs) if (env.render) out.set(env.name, await gatherer.reads(env));
  return out;
}
