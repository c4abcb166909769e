/**
 * Reads one file out of an `opa build` bundle (a gzipped tar). Bundles are
 * small and written by opa itself, so a minimal ustar reader is enough.
 */
export function readBundleFile(tgz: Uint8Array, wanted: string): Uint8Array | undefined {
  // node:zlib only when opa has just built a bundle (loaded on first use: a cached compile never needs it).
  const tar = process.getBuiltinModule("node:zlib").gunzipSync(tgz);
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = cString(header.subarray(0, 100));
    const prefix = cString(header.subarray(345, 500));
    const size = parseInt(cString(header.subarray(124, 136)).trim() || "0", 8);
    const full = (prefix ? `${prefix}/${name}` : name).replace(/^\.?\//, "");
    const start = offset + 512;
    if (full === wanted.replace(/^\//, "")) return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString("utf8");
}
