/**
 * Runs Rego compiled to WebAssembly by `opa build -t wasm`, speaking OPA's wasm ABI 1.x
 * (https://www.openpolicyagent.org/docs/wasm) directly.
 *
 * What the @open-policy-agent/opa-wasm SDK does, without its costs: loading the SDK (its own copy of `yaml` and
 * sprintf-js) is a tenth of a small check's start-up, and it moves every value through extra copies and byte-by-byte
 * scans. Here input is written straight into wasm memory and JSON ends are found natively. The SDK is still the
 * reference for the host builtins it implements that Stagegate does not (json.is_valid, yaml.*): its table is loaded
 * the first time a policy calls one of them.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { regexSplit } from "./builtins/regex.js";
import { sprintfBuiltin } from "./builtins/sprintf.js";

/** A host builtin as the wasm module calls it: decoded JSON arguments; a JSON value (or JSON text) back. */
export type HostBuiltin = (...args: never[]) => unknown;

/**
 * Builtins the SDK implements, but not as OPA does, so Stagegate's win: sprintf-js is not Go's fmt (`%v` of ["a"]
 * prints `a`), and a JavaScript RegExp split splices capture groups into the result.
 */
const OPA_CONFORMANT: Record<string, HostBuiltin> = { sprintf: sprintfBuiltin, "regex.split": regexSplit };

const require = createRequire(import.meta.url);
let sdkTable: Record<string, HostBuiltin> | undefined;

/** The SDK's own builtins table (json.is_valid, yaml.*…), loaded on first use. */
export function sdkBuiltins(): Record<string, HostBuiltin> {
  // The package's "exports" hides src/builtins; it sits next to the CommonJS entry (src/index.cjs).
  sdkTable ??= require(join(dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js"));
  return sdkTable!;
}

/** Every host builtin a policy may call: Stagegate's, then the SDK's. */
export function hostBuiltinNames(custom: readonly string[]): Set<string> {
  return new Set([...Object.keys(OPA_CONFORMANT), ...custom, ...Object.keys(sdkBuiltins())]);
}

interface AbiExports {
  opa_malloc(len: number): number;
  opa_json_parse(addr: number, len: number): number;
  opa_json_dump(addr: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(addr: number): void;
  builtins(): number;
  entrypoints(): number;
  opa_eval?(
    reserved: number,
    entrypoint: number,
    data: number,
    input: number,
    len: number,
    heap: number,
    fmt: number,
  ): number;
  opa_eval_ctx_new(): number;
  opa_eval_ctx_set_input(ctx: number, input: number): void;
  opa_eval_ctx_set_data(ctx: number, data: number): void;
  opa_eval_ctx_set_entrypoint(ctx: number, entrypoint: number): void;
  opa_eval_ctx_get_result(ctx: number): number;
  eval(ctx: number): number;
  opa_wasm_abi_version?: WebAssembly.Global;
  opa_wasm_abi_minor_version?: WebAssembly.Global;
}

/** A policy aborted evaluation (`opa_abort`: a conflict, a builtin error in strict mode, …). */
export class WasmAbort extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PAGE = 64 * 1024;

/** One instance of a compiled policy, with its own memory. Synchronous; reused for many evaluations. */
export class WasmPolicy {
  readonly mem: WebAssembly.Memory;
  readonly minorVersion: number;
  /** Entrypoint name → id. */
  readonly entrypoints: Record<string, number>;
  /** The builtins the module imports from its host. */
  readonly hostBuiltins: string[] = [];
  /** Their names by id. */
  private readonly names: string[] = [];
  private readonly abi: AbiExports;
  private readonly impls: HostBuiltin[] = [];
  private dataAddr: number;
  private readonly baseHeapPtr: number;
  private dataHeapPtr: number;

  constructor(module: WebAssembly.Module, memory: WebAssembly.MemoryDescriptor, custom: Record<string, HostBuiltin>) {
    this.mem = new WebAssembly.Memory(memory);
    const call = (id: number, args: number[]) => this.callBuiltin(id, args, custom);
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.mem,
        opa_abort: (addr: number) => {
          throw new WasmAbort(this.cString(addr));
        },
        // The runtime's own debug output (opa build erases print() calls): stderr, so `-o json` stays intact.
        opa_println: (addr: number) => void process.stderr.write(`${this.cString(addr)}\n`),
        opa_builtin0: (id: number) => call(id, []),
        opa_builtin1: (id: number, _ctx: number, a: number) => call(id, [a]),
        opa_builtin2: (id: number, _ctx: number, a: number, b: number) => call(id, [a, b]),
        opa_builtin3: (id: number, _ctx: number, a: number, b: number, c: number) => call(id, [a, b, c]),
        opa_builtin4: (id: number, _ctx: number, a: number, b: number, c: number, d: number) => call(id, [a, b, c, d]),
      },
    });
    this.abi = instance.exports as unknown as AbiExports;
    const major = this.abi.opa_wasm_abi_version?.value;
    if (major !== 1) throw new WasmAbort(`unsupported OPA wasm ABI version ${String(major)}`);
    this.minorVersion = Number(this.abi.opa_wasm_abi_minor_version?.value ?? 0);
    for (const [name, id] of Object.entries(this.dump(this.abi.builtins()) as Record<string, number>)) {
      this.names[id] = name;
      this.hostBuiltins.push(name);
    }
    this.dataAddr = this.load({});
    this.baseHeapPtr = this.abi.opa_heap_ptr_get();
    this.dataHeapPtr = this.baseHeapPtr;
    this.entrypoints = this.dump(this.abi.entrypoints()) as Record<string, number>;
  }

  /** Sets `data` for the evaluations that follow. */
  setData(data: unknown): void {
    this.abi.opa_heap_ptr_set(this.baseHeapPtr);
    this.dataAddr = this.load(data);
    this.dataHeapPtr = this.abi.opa_heap_ptr_get();
  }

  /** The result set of `entrypoint` for `input` (`[{ result }]`, or `[]` when undefined). */
  evaluate(input: unknown, entrypoint: string): unknown {
    if (!Object.prototype.hasOwnProperty.call(this.entrypoints, entrypoint)) {
      throw new WasmAbort(`entrypoint ${entrypoint} is not in this policy`);
    }
    const id = this.entrypoints[entrypoint];
    const abi = this.abi;
    if (abi.opa_eval && this.minorVersion >= 2) {
      // ABI 1.2: one call; the input goes right after the data, the heap starts after the input.
      const text = input === undefined ? "" : JSON.stringify(input);
      const addr = this.dataHeapPtr;
      const len = Buffer.byteLength(text, "utf8");
      const missing = addr + len - this.mem.buffer.byteLength;
      if (missing > 0) this.mem.grow(Math.ceil(missing / PAGE));
      if (len) encoder.encodeInto(text, new Uint8Array(this.mem.buffer, addr, len));
      return this.parseAt(abi.opa_eval(0, id, this.dataAddr, len ? addr : 0, len, addr + len, 0));
    }
    abi.opa_heap_ptr_set(this.dataHeapPtr);
    const inputAddr = this.load(input);
    const ctx = abi.opa_eval_ctx_new();
    if (inputAddr) abi.opa_eval_ctx_set_input(ctx, inputAddr);
    abi.opa_eval_ctx_set_data(ctx, this.dataAddr);
    abi.opa_eval_ctx_set_entrypoint(ctx, id);
    abi.eval(ctx);
    return this.dump(abi.opa_eval_ctx_get_result(ctx));
  }

  /** Calls host builtin `id` with the values at `args`; returns the address of its result (0: undefined). */
  private callBuiltin(id: number, args: number[], custom: Record<string, HostBuiltin>): number {
    let impl = this.impls[id];
    if (!impl) {
      const name = this.names[id];
      impl = OPA_CONFORMANT[name] ?? custom[name] ?? sdkBuiltins()[name];
      if (!impl) throw new WasmAbort(`not implemented: built-in function ${id}: ${name}`);
      this.impls[id] = impl;
    }
    const values = args.map((a) => this.dump(a));
    return this.load((impl as (...a: unknown[]) => unknown)(...values));
  }

  /** Copies a value into wasm memory as an OPA value (an ArrayBuffer is JSON text already); 0 for undefined. */
  private load(value: unknown): number {
    if (value === undefined) return 0;
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : encoder.encode(JSON.stringify(value));
    const addr = this.abi.opa_malloc(bytes.byteLength);
    new Uint8Array(this.mem.buffer).set(bytes, addr);
    const parsed = this.abi.opa_json_parse(addr, bytes.byteLength);
    if (parsed === 0) throw new WasmAbort("failed to parse a JSON value into the policy's memory");
    return parsed;
  }

  /** The OPA value at `addr`, as JSON. */
  private dump(addr: number): unknown {
    return this.parseAt(this.abi.opa_json_dump(addr));
  }

  /** JSON.parse of the NUL-terminated text at `addr`. */
  private parseAt(addr: number): unknown {
    return JSON.parse(this.cString(addr));
  }

  private cString(addr: number): string {
    const bytes = new Uint8Array(this.mem.buffer);
    return decoder.decode(bytes.subarray(addr, bytes.indexOf(0, addr)));
  }
}

/** Instantiates a compiled policy (5 pages of memory to start, as the SDK does). */
export function loadPolicySync(
  wasm: ArrayBufferView | ArrayBuffer | WebAssembly.Module,
  memory: WebAssembly.MemoryDescriptor = { initial: 5 },
  custom: Record<string, HostBuiltin> = {},
): WasmPolicy {
  const module = wasm instanceof WebAssembly.Module ? wasm : new WebAssembly.Module(wasm);
  return new WasmPolicy(module, memory, custom);
}
