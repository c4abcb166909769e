import { parseConfig } from "../../src/config/load.js";
import { Engine } from "../../src/gate/engine.js";
import { readPolicyInputs, type RepoReader } from "../../src/gate/sources.js";

/** A repository held in memory, as the engine reads it. */
export function memoryReader(files: Record<string, string>): RepoReader {
  return {
    async readFile(path) {
      return files[path];
    },
    async listFiles(dir) {
      const prefix = dir.replace(/\/?$/, "/");
      return Object.keys(files).filter((p) => p.startsWith(prefix) || p === dir);
    },
  };
}

/** An engine for a config text and repository files (policies, data, schemas). */
export async function engineFor(configYaml: string, repo: Record<string, string>): Promise<Engine> {
  const config = parseConfig(configYaml);
  const inputs = await readPolicyInputs(config, memoryReader(repo));
  return Engine.create(config, inputs, { cacheDir: false });
}

export const file = (path: string, content: string) => ({ path, content });
