import { createHash } from "node:crypto";
import type { StagegateConfig } from "../config/types.js";
import { Engine } from "../gate/engine.js";
import { readPolicyInputs, staticPrefix, type PolicyInputs } from "../gate/sources.js";
import type { GitHubRepoReader } from "../github/repo-reader.js";

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

/**
 * Engines keyed by what they are built from: the repository, the resolved
 * config (an organization default or `_extends` base can change while the
 * repository does not; it also holds the namespaces, library and params) and
 * the content of the policy inputs read from the default branch (policies,
 * data files, custom schemas, CRDs). A commit on the default branch that
 * changes none of them reuses the engine, so moving `main` does not build
 * (and keep) a new one. Compiled policies are also cached by content hash,
 * so two repositories with the same policies share a build.
 */
export class EngineCache {
  private readonly engines = new Map<string, Promise<Engine>>();
  /** (repository, config, commit) → its engine's key: an evaluation of a commit already seen reads nothing. */
  private readonly revisions = new Map<string, Promise<string>>();
  private readonly maxRevisions: number;

  constructor(private readonly max = 20) {
    this.maxRevisions = max * 10;
  }

  /** Engines held (tests, benchmarks). */
  get size(): number {
    return this.engines.size;
  }

  get(repoKey: string, sha: string, config: StagegateConfig, reader: GitHubRepoReader): Promise<Engine> {
    const configKey = `${repoKey}:${digest(JSON.stringify(config))}`;
    const revision = `${configKey}@${sha}`;
    let key = this.revisions.get(revision);
    if (key) remember(this.revisions, revision, key, this.maxRevisions);
    else {
      key = this.read(configKey, config, reader);
      remember(this.revisions, revision, key, this.maxRevisions);
      key.catch(() => this.revisions.delete(revision));
    }
    return key.then((k) => {
      const held = this.engines.get(k);
      if (!held) return this.build(k, config, reader);
      remember(this.engines, k, held, this.max);
      return held;
    });
  }

  /** Reads the inputs (the reads a build needs anyway, in batches) and gives the key of their content. */
  private async read(configKey: string, config: StagegateConfig, reader: GitHubRepoReader): Promise<string> {
    const inputs = await readInputs(config, reader);
    const key = `${configKey}:${digest(JSON.stringify(inputs))}`;
    // Built here, with the inputs in hand, unless an engine of the same content exists.
    if (!this.engines.has(key)) void this.build(key, config, reader, inputs);
    return key;
  }

  private build(key: string, config: StagegateConfig, reader: GitHubRepoReader, inputs?: PolicyInputs) {
    const p = (async () => Engine.create(config, inputs ?? (await readInputs(config, reader))))();
    remember(this.engines, key, p, this.max);
    p.catch(() => {
      if (this.engines.get(key) === p) this.engines.delete(key);
    });
    return p;
  }
}

async function readInputs(config: StagegateConfig, reader: GitHubRepoReader): Promise<PolicyInputs> {
  const wanted = (f: string) => f.endsWith(".rego") && !f.endsWith("_test.rego");
  await reader.preload(config.policies.paths, wanted);
  await reader.preload(
    [...config.policies.data.map(staticPrefix), ...config.schemas.custom.map((c) => c.schema)],
    (p) => /\.(json|ya?ml)$/i.test(p),
  );
  return readPolicyInputs(config, reader);
}

/** Sets `key` as the most recently used entry (a map's order is its eviction order) and evicts beyond `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}
