import type { DocPath } from "../types.js";

/**
 * Turns an ajv instancePath (JSON Pointer) into a DocPath, reading the data to
 * tell array indexes from object keys that look like numbers.
 */
export function pointerToPath(pointer: string, data: unknown): Array<string | number> {
  if (pointer === "") return [];
  const path: Array<string | number> = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) {
      const index = Number(token);
      path.push(index);
      node = node[index];
    } else {
      path.push(token);
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[token] : undefined;
    }
  }
  return path;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `spec.template.spec.containers[0].image`; odd keys quoted: `metadata.annotations["a.b/c"]`. */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
