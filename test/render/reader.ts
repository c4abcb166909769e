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
