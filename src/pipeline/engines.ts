import { createHash } from "node:crypto";
import type { StagegateConfig } from "../config/types.js";
import { Engine } from "../gate/engine.js";
import { readPolicyInputs, staticPrefix } from "../gate/sources.js";
import type { GitHubRepoReader } from "../github/repo-reader.js";

/**
 * Engines by (repository, config revision, resolved config). Compiled
 * policies are also cached by content hash, so two repositories with the same
 * policies share a build. The resolved config is part of the key because an
 * organization default or `_extends` base can change while the repository's
 * own default branch does not.
 */
export class EngineCache {
  private readonly engines = new Map<string, Promise<Engine>>();
  constructor(private readonly max = 20) {}

  get(repoKey: string, sha: string, config: StagegateConfig, reader: GitHubRepoReader): Promise<Engine> {
    const resolved = createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16);
    const key = `${repoKey}@${sha}:${resolved}`;
    let p = this.engines.get(key);
    if (p) {
      // Refresh its place: the map's order is the eviction order.
      this.engines.delete(key);
      this.engines.set(key, p);
      return p;
    }
    p = (async () => {
      const wanted = (f: string) => f.endsWith(".rego") && !f.endsWith("_test.rego");
      await reader.preload(config.policies.paths, wanted);
      await reader.preload(
        [...config.policies.data.map(staticPrefix), ...config.schemas.custom.map((c) => c.schema)],
        (p) => /\.(json|ya?ml)$/i.test(p),
      );
      return Engine.create(config, await readPolicyInputs(config, reader));
    })();
    this.engines.set(key, p);
    p.catch(() => this.engines.delete(key));
    while (this.engines.size > this.max) this.engines.delete(this.engines.keys().next().value as string);
    return p;
  }
}
