/** One fmt verb applied to one Go value: integers, strings, and the %!verb(type=value) of a mismatch. */
import { fmtFloat, fmtG } from "./fmt-float.js";
import { pad, signed, type Spec } from "./fmt-spec.js";
import { goQuote, type GoValue } from "./go-values.js";

function fmtInt(x: bigint, verb: string, spec: Spec): string | undefined {
  const neg = x < 0n;
  const abs = neg ? -x : x;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "v":
    case "d":
      digits = abs.toString(10);
      break;
    case "b":
      digits = abs.toString(2);
      if (spec.sharp) prefix = "0b";
      break;
    case "o":
      digits = abs.toString(8);
      if (spec.sharp) prefix = "0";
      break;
    case "O":
      digits = abs.toString(8);
      prefix = "0o";
      break;
    case "x":
      digits = abs.toString(16);
      if (spec.sharp) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = "0X";
      break;
    case "c":
      return pad(codePoint(x), spec, false);
    case "q":
      return pad(
        `'${codePoint(x).replace(/'/g, "\\'")}'`.replace(/^'(.*)'$/su, (_m, c: string) => `'${quoteRune(c)}'`),
        spec,
        false,
      );
    case "U": {
      const hex = abs.toString(16).toUpperCase().padStart(4, "0");
      const s = `U+${hex}`;
      return pad(spec.sharp ? `${s} '${codePoint(x)}'` : s, spec, false);
    }
    default:
      return undefined;
  }
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && abs === 0n ? "" : digits.padStart(spec.prec, "0");
  }
  // With a precision, Go pads with spaces, never zeros.
  return pad(signed(neg, prefix + digits, spec), spec, spec.prec === undefined);
}

function codePoint(x: bigint): string {
  const n = Number(x);
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : "\ufffd";
}

function quoteRune(c: string): string {
  const q = goQuote(c);
  return q.slice(1, -1).replace(/\\"/g, '"');
}

function fmtString(s: string, verb: string, spec: Spec): string | undefined {
  const cut = spec.prec !== undefined ? [...s].slice(0, spec.prec).join("") : s;
  switch (verb) {
    case "v":
    case "s":
      return pad(cut, spec);
    case "q":
      if (spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(cut)) return pad(`\`${cut}\``, spec);
      return pad(goQuote(cut, spec.plus), spec);
    case "x":
    case "X": {
      const bytes = [...Buffer.from(cut, "utf8")].map((b) => b.toString(16).padStart(2, "0"));
      const sep = spec.space ? " " : "";
      const pre = spec.sharp ? "0x" : "";
      let out = bytes.map((b, i) => (spec.space || i === 0 ? pre : "") + b).join(sep);
      if (verb === "X") out = out.toUpperCase();
      return pad(out, spec);
    }
    default:
      return undefined;
  }
}

export function goValueText(g: GoValue): string {
  if (g.type === "int64") return g.v.toString();
  if (g.type === "float64") return fmtG(Math.abs(g.v), undefined, false).replace(/^/, g.v < 0 ? "-" : "");
  return g.v;
}

export function formatOne(g: GoValue, verb: string, spec: Spec): string {
  if (verb === "T") return pad(g.type, spec);
  const out =
    g.type === "int64"
      ? fmtInt(g.v, verb, spec)
      : g.type === "float64"
        ? fmtFloat(g.v, verb, spec)
        : fmtString(g.v, verb, spec);
  return out ?? `%!${verb}(${g.type}=${goValueText(g)})`;
}
