/** GitHub rejects comment bodies over 65,536 characters. */
export const MAX_COMMENT = 65_536;
/** Beyond this many comments a reply is truncated: a wall of comments helps nobody. */
export const MAX_COMMENTS = 5;

/**
 * Packs `blocks` into as few comment bodies as fit, each starting with
 * `header` (plus "(part n)") and at most `limit` characters. Blocks too long
 * for one comment are cut; blocks beyond `maxComments` are dropped with a note
 * that says how many, and `more` tells where to find the rest. Pure.
 */
export function splitComments(
  header: string,
  blocks: string[],
  opts: { limit?: number; maxComments?: number; more?: string } = {},
): string[] {
  const limit = opts.limit ?? MAX_COMMENT;
  const maxComments = opts.maxComments ?? MAX_COMMENTS;
  const reserve = 400; // room for the part header and the truncation note
  const room = Math.max(limit - reserve - header.length, 100);
  const bodies: string[][] = [[]];
  let size = 0;
  let dropped = 0;
  for (const raw of blocks) {
    const block = raw.length > room ? `${cut(raw, room - 80)}\n\n_(this entry was cut to fit a comment)_` : raw;
    if (size + block.length + 2 > room && bodies[bodies.length - 1].length > 0) {
      if (bodies.length >= maxComments) {
        dropped++;
        continue;
      }
      bodies.push([]);
      size = 0;
    }
    bodies[bodies.length - 1].push(block);
    size += block.length + 2;
  }
  return bodies.map((parts, i) => {
    const head = bodies.length > 1 ? `${header} (part ${i + 1} of ${bodies.length})` : header;
    const note =
      i === bodies.length - 1 && dropped
        ? `\n\n_…and ${dropped} more not shown${opts.more ? `: ${opts.more}` : ""}._`
        : "";
    return `${head}\n\n${parts.join("\n\n")}${note}`.slice(0, limit);
  });
}

/** Cuts at a line break near `n` when there is one, never inside a surrogate pair. */
function cut(s: string, n: number): string {
  let end = s.lastIndexOf("\n", n);
  if (end < n / 2) end = n;
  if (/[\uD800-\uDBFF]/.test(s[end - 1] ?? "")) end--;
  return s.slice(0, end);
}
