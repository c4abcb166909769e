/**
 * One end-to-end check: a policy using custom builtins, compiled to wasm by
 * the real opa binary, evaluated by Stagegate's wasm host + createCustomBuiltins, gives
 * what `opa eval` gives for the same policy and input.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { createCustomBuiltins, CUSTOM_BUILTIN_NAMES } from "../../../src/policy/builtins/index.js";
import { loadPolicySync, type HostBuiltin } from "../../../src/policy/opa-wasm.js";

const OPA = resolve(".tools/bin/opa");

const POLICY = `package gate

import rego.v1

limits := {
  "cpu": units.parse(input.cpu),
  "memory": units.parse_bytes(input.memory),
}

age_days := floor(
  (time.parse_rfc3339_ns(input.now) - time.parse_rfc3339_ns(input.created)) / time.parse_duration_ns("24h"),
)

created_local := {
  "date": time.date([time.parse_rfc3339_ns(input.created), "America/New_York"]),
  "clock": time.clock([time.parse_rfc3339_ns(input.created), "America/New_York"]),
  "weekday": time.weekday(time.parse_rfc3339_ns(input.created)),
}

expires := time.add_date(time.parse_rfc3339_ns(input.created), 0, 1, 0)

newer := semver.compare(input.version, "1.10.0-rc.1")

valid_versions := [v | some v in input.versions; semver.is_valid(v)]

image_parts := regex.split("(:)|/", input.image)

image := regex.replace(input.image, "^(?P<repo>[^:]+):(?P<tag>.+)$", "\${repo}@\${tag}")

dashes := strings.count(input.image, "-")

registry_ok := strings.any_prefix_match(input.image, {"ghcr.io/", "docker.io/"})

digest := crypto.sha256(input.image)

msg := sprintf("%s uses %v (cpu %v, %d days old)", [input.image, input.versions, limits.cpu, age_days])

now_date := time.date(time.now_ns())

labels_match := object.subset(input.labels, {"app": "web"})

patched := json.patch(input.labels, [{"op": "add", "path": "/tier", "value": "frontend"}])

token := io.jwt.decode(input.token)

traced := trace("checking the token")

released := time.parse_ns("Jan 2, 2006", input.release)

private_ips := net.cidr_contains_matches(["10.0.0.0/8", "192.168.0.0/16"], input.ips)

dependency_paths := graph.reachable_paths(input.deps, ["web"])
`;

const INPUT = {
  cpu: "250m",
  memory: "1.5Gi",
  now: "2024-03-31T12:00:00Z",
  created: "2024-01-31T03:30:00Z",
  version: "1.10.0",
  versions: ["1.2.3", "v2.0.0", "01.0.0", "1.0.0-beta.1"],
  image: "ghcr.io/acme/web-api:v1.2.3",
  labels: { app: "web", team: "a" },
  token: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSIsImV4cCI6MTcwMDAwMDAwMH0.",
  release: "Mar 5, 2024",
  ips: ["10.1.2.3", "8.8.8.8", "192.168.1.0/24"],
  deps: { web: ["api", "cdn"], api: ["db"], db: [], cdn: [] },
};

/** Reads policy.wasm out of a bundle.tar.gz (ustar: 512-byte headers, size in octal). */
function wasmFromBundle(tgz: Buffer): Buffer {
  const tar = gunzipSync(tgz);
  for (let off = 0; off + 512 <= tar.length;) {
    const name = tar.toString("utf8", off, off + 100).replace(/\0.*$/s, "");
    if (name === "") break;
    const size = parseInt(
      tar
        .toString("utf8", off + 124, off + 136)
        .replace(/\0.*$/s, "")
        .trim() || "0",
      8,
    );
    if (name.replace(/^\/+/, "") === "policy.wasm") return tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error("policy.wasm not found in bundle");
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stagegate-builtins-"));
  writeFileSync(join(dir, "gate.rego"), POLICY);
  writeFileSync(join(dir, "input.json"), JSON.stringify(INPUT));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a wasm policy using custom builtins agrees with opa eval", async () => {
  execFileSync(OPA, ["build", "-t", "wasm", "-e", "gate", "-o", join(dir, "bundle.tar.gz"), join(dir, "gate.rego")]);
  const wasm = wasmFromBundle(readFileSync(join(dir, "bundle.tar.gz")));

  const builtins = createCustomBuiltins({ now: () => 1767225600000000000n }) as Record<string, HostBuiltin>;
  const policy = loadPolicySync(wasm, undefined, builtins);
  const [{ result: got }] = policy.evaluate(INPUT, "gate") as Array<{ result: Record<string, unknown> }>;

  const evaluated = JSON.parse(
    execFileSync(
      OPA,
      ["eval", "--format", "json", "-d", join(dir, "gate.rego"), "-i", join(dir, "input.json"), "data.gate"],
      {
        encoding: "utf8",
      },
    ),
  );
  const want = evaluated.result[0].expressions[0].value as Record<string, unknown>;

  // opa eval reads the real clock; the wasm run a fixed one (2026-01-01).
  expect(got.now_date).toEqual([2026, 1, 1]);
  delete got.now_date;
  delete want.now_date;
  expect(got).toEqual(want);
  // A few values spelled out, so a shared mistake cannot hide.
  expect(got.image).toBe("ghcr.io/acme/web-api@v1.2.3");
  expect(got.token).toEqual([{ alg: "none" }, { exp: 1700000000, sub: "ci" }, ""]);
  expect(got.dependency_paths).toEqual([
    ["web", "api", "db"],
    ["web", "cdn"],
  ]);
  expect(got.image_parts).toEqual(["ghcr.io", "acme", "web-api", "v1.2.3"]);
  expect(got.expires).toBe(1709337600000000000 + 3.5 * 3600e9);
  expect(got.msg).toBe(
    'ghcr.io/acme/web-api:v1.2.3 uses ["1.2.3", "v2.0.0", "01.0.0", "1.0.0-beta.1"] (cpu 0.25, 60 days old)',
  );
});

test("a failing builtin fails the evaluation", async () => {
  execFileSync(OPA, ["build", "-t", "wasm", "-e", "gate", "-o", join(dir, "bundle.tar.gz"), join(dir, "gate.rego")]);
  const wasm = wasmFromBundle(readFileSync(join(dir, "bundle.tar.gz")));
  const policy = loadPolicySync(wasm, undefined, createCustomBuiltins() as Record<string, HostBuiltin>);
  expect(() => policy.evaluate({ ...INPUT, cpu: "5 cores" }, "gate")).toThrow(
    "units.parse: units.parse: spaces not allowed in resource strings",
  );
});

test("CUSTOM_BUILTIN_NAMES lists every builtin", () => {
  expect([...CUSTOM_BUILTIN_NAMES].sort()).toEqual(Object.keys(createCustomBuiltins()).sort());
  expect(CUSTOM_BUILTIN_NAMES).toEqual(
    expect.arrayContaining(["time.now_ns", "units.parse_bytes", "regex.replace", "semver.compare"]),
  );
});
