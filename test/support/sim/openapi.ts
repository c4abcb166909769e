/**
 * GitHub's published OpenAPI description (api.github.com, dereferenced), reduced
 * to what request validation needs: route templates, parameters and request
 * body schemas. Loaded lazily once per process; the big response schemas are
 * dropped right after parsing so they can be garbage-collected.
 */
import { readFileSync } from "node:fs";
import { packageFile } from "./package-files.js";

export interface OperationParam {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Record<string, unknown>;
  multiSegment: boolean;
}

export interface Operation {
  method: string; // lower case
  template: string;
  operationId: string;
  documentationUrl: string;
  params: OperationParam[];
  bodySchema?: Record<string, unknown>;
  bodyRequired: boolean;
  regex: RegExp;
  paramNames: string[];
  literalLength: number;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

let cached: Operation[] | undefined;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTemplate(
  template: string,
  params: OperationParam[],
): { regex: RegExp; names: string[]; literalLength: number } {
  const names: string[] = [];
  let literalLength = 0;
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{(.+)\}$/.exec(part);
      if (!m) {
        literalLength += part.length;
        return escapeRegex(part);
      }
      names.push(m[1]);
      const multi = params.some((p) => p.in === "path" && p.name === m[1] && p.multiSegment);
      return multi ? "(.+)" : "([^/]+)";
    })
    .join("");
  return { regex: new RegExp(`^${source}$`), names, literalLength };
}

export function loadOperations(): Operation[] {
  if (cached) return cached;
  const file = packageFile("@octokit/openapi", "generated/api.github.com.deref.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as { paths: Record<string, Record<string, any>> };
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== "object" || !("responses" in op)) continue;
      const params: OperationParam[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => ({
        name: p.name,
        in: p.in,
        required: Boolean(p.required),
        schema: p.schema ?? {},
        multiSegment: Boolean(p["x-multi-segment"]),
      }));
      const content = op.requestBody?.content ?? {};
      const json = content["application/json"] ?? Object.values(content)[0];
      const { regex, names, literalLength } = compileTemplate(template, params);
      ops.push({
        method,
        template,
        operationId: op.operationId ?? `${method} ${template}`,
        documentationUrl: op.externalDocs?.url ?? "https://docs.github.com/rest",
        params,
        bodySchema: json?.schema,
        bodyRequired: Boolean(op.requestBody?.required),
        regex,
        paramNames: names,
        literalLength,
      });
    }
  }
  cached = ops;
  return ops;
}

/**
 * The operation for a request path (raw, still percent-encoded). When several
 * templates match, the one with the most literal text wins, so
 * `/commits/{ref}/status` beats `/commits/{ref}` with a multi-segment ref.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | { allowed: string[] } | undefined {
  const m = method.toLowerCase();
  let best: RouteMatch | undefined;
  const allowed: string[] = [];
  for (const op of loadOperations()) {
    const hit = op.regex.exec(rawPath);
    if (!hit) continue;
    if (op.method !== m) {
      allowed.push(op.method.toUpperCase());
      continue;
    }
    if (best && best.operation.literalLength >= op.literalLength) continue;
    const params: Record<string, string> = {};
    op.paramNames.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(hit[i + 1]);
      } catch {
        params[name] = hit[i + 1];
      }
    });
    best = { operation: op, params };
  }
  if (best) return best;
  return allowed.length ? { allowed } : undefined;
}
