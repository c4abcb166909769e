#!/usr/bin/env node
// Puts the pinned OPA binary at .tools/bin/opa (runs on `npm ci` as postinstall). The order it tries
// (OPA_PATH, PATH, user cache, official release, go install) is in install-tool.mjs.
// STAGEGATE_SKIP_OPA_INSTALL=1 skips all of it (e.g. an image that brings its own).
import { goPlatform, installTool, isMain } from "./install-tool.mjs";

export const OPA_VERSION = "1.22.3";

function releaseAsset() {
  const p = goPlatform();
  if (!p) return undefined;
  if (p.os === "linux") return `opa_linux_${p.arch}_static`;
  if (p.os === "darwin") return `opa_darwin_${p.arch}`;
  if (p.os === "windows" && p.arch === "amd64") return "opa_windows_amd64.exe";
  return undefined;
}

export const OPA = {
  name: "opa",
  version: OPA_VERSION,
  versionArgs: ["version"],
  parseVersion: (out) => /^Version:\s*v?(\S+)/m.exec(out)?.[1],
  release() {
    const asset = releaseAsset();
    if (!asset) return undefined;
    const url = `https://github.com/open-policy-agent/opa/releases/download/v${OPA_VERSION}/${asset}`;
    // The release is the bare binary, with its hash in `<asset>.sha256`.
    return { url, sumsUrl: `${url}.sha256`, asset, extract: (binary) => binary };
  },
  goPackage: `github.com/open-policy-agent/opa@v${OPA_VERSION}`,
  buildTime: "a few minutes",
  // Every check needs opa: a failed install is an error.
  required: true,
};

if (isMain(import.meta.url)) await installTool(OPA);
