import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { overrideSdkBuiltins } from "../../../src/policy/opa-wasm.js";

describe("overrideSdkBuiltins", () => {
  // The SDK's CommonJS builtins table, the same object opa.js dispatches through.
  const require = createRequire(import.meta.url);
  const table = require(join(dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js"));

  test("replaces the SDK's sprintf and regex.split with OPA's, idempotently", () => {
    // The SDK's own behaviour before: sprintf-js, and JavaScript's split with groups spliced in.
    expect(table.sprintf("%v", [["a"]])).not.toBe('["a"]');
    expect(table["regex.split"]("(\\d)", "a1b")).toEqual(["a", "1", "b"]);
    overrideSdkBuiltins();
    const first = [table.sprintf, table["regex.split"]];
    overrideSdkBuiltins();
    expect([table.sprintf, table["regex.split"]]).toEqual(first);
    expect(table.sprintf("%v", [["a"]])).toBe('["a"]');
    expect(() => table.sprintf(1, [])).toThrow("sprintf: invalid argument(s)");
    expect(table["regex.split"]("(\\d)", "a1b")).toEqual(["a", "b"]);
  });
});
