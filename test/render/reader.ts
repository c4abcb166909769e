import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RenderReader } from "../../src/render/reader.js";
import { PACKAGE_ROOT } from "../../src/policy/toolchain.js";

export const FLUX_SHAPED = join(PACKAGE_ROOT, "test", "fixtures", "render", "flux-shaped");

/** The fixture repository, with some files replaced or added (in memory). */
export function fixtureReader(overrides: Record<string, string> = {}, root = FLUX_SHAPED): RenderReader {
  return {
    async readFile(path) {
      if (path in overrides) return overrides[path];
      try {
        return readFileSync(join(root, path), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** A repository held in memory, with a file listing (as the working tree and git revisions have). */
export function memoryReader(files: Record<string, string>): RenderReader {
  return {
    async readFile(path) {
      return files[path];
    },
    async listFiles(dir) {
      return Object.keys(files).filter((f) => dir === "." || f.startsWith(`${dir}/`));
    },
  };
}
