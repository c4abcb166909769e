/** A parsed fmt verb's flags, width and precision, and the padding Go applies with them. */
export interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width?: number;
  prec?: number;
}

export function pad(s: string, spec: Spec, zeroOk = true): string {
  const len = [...s].length;
  if (spec.width === undefined || len >= spec.width) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + " ".repeat(fill);
  if (spec.zero && zeroOk) {
    // Zeros go after the sign.
    const sign = /^[+\- ]/.test(s) ? s[0] : "";
    return sign + "0".repeat(fill) + s.slice(sign.length);
  }
  return " ".repeat(fill) + s;
}

export function signed(neg: boolean, body: string, spec: Spec): string {
  return (neg ? "-" : spec.plus ? "+" : spec.space ? " " : "") + body;
}
