/**
 * Where rendering reads repository files from: the working tree in the CLI, a commit's tree through
 * the GitHub gateway in the app. Paths are repository-relative with `/` separators.
 */
export interface RenderReader {
  /** A file's content, or undefined when there is no such file (a directory reads as undefined). */
  readFile(path: string): Promise<string | Uint8Array | undefined>;
  /** Every file under a directory, recursively (optional: without it, a directory needs a kustomization). */
  listFiles?(dir: string): Promise<string[]>;
}

/** The kustomization file names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
