/**
 * Finds `/gate …` commands in a comment body. Pure. A command starts a line
 * (leading spaces allowed); lines in fenced or indented code blocks and in
 * `>` quotes are ignored, so quoting someone's command never re-runs it.
 */

export const COMMAND_NAMES = [
  ...(["help", "check", "explain", "override", "freeze", "unfreeze", "promote"] as const),
  // Incident response (handlers/incident.ts); these also work on the app's incident issues.
  ...(["restore", "doctor"] as const),
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number] | "unknown";

export interface Command {
  /** Lower-cased command name; `unknown` for a word Stagegate does not know. */
  name: CommandName;
  /** Whitespace-separated words after the name, as written (unicode kept). */
  args: string[];
  /** Everything after the name, trimmed, inner spacing kept (a reason). */
  rest: string;
  /** 1-based line of the command in the comment. */
  line: number;
  /** The command line, trimmed. */
  raw: string;
}

/** The prefixes every repository answers to, besides its configured one. */
export const DEFAULT_PREFIXES = ["/gate", "/stagegate"];

/** Longest line looked at: a command is short; a huge line is not one. */
const MAX_LINE = 4096;

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function parseCommands(body: string, prefixes: string[] = DEFAULT_PREFIXES): Command[] {
  if (typeof body !== "string" || body.length === 0) return [];
  const wanted = [...new Set(prefixes.map((p) => p.trim().toLowerCase()).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  const commands: Command[] = [];
  const lines = body.split(/\r\n|\r|\n/);
  let fence: { char: string; length: number } | undefined;

  lines.forEach((line, i) => {
    const opened = FENCE.exec(line);
    if (fence) {
      // A closing fence: the same character, at least as long, nothing after it.
      if (opened && opened[1][0] === fence.char && opened[1].length >= fence.length && opened[2].trim() === "")
        fence = undefined;
      return;
    }
    if (opened && !(opened[1][0] === "`" && opened[2].includes("`"))) {
      fence = { char: opened[1][0], length: opened[1].length };
      return;
    }
    if (/^( {4}|\t| {0,3}\t)/.test(line)) return; // indented code block
    const text = line.trim();
    if (text.startsWith(">") || text.length > MAX_LINE) return;
    const lower = text.toLowerCase();
    const prefix = wanted.find((p) => lower.startsWith(p) && (text.length === p.length || /\s/u.test(text[p.length])));
    if (!prefix) return;
    const after = text.slice(prefix.length).trim();
    const match = /^(\S+)\s*([\s\S]*)$/u.exec(after);
    const word = match ? match[1].toLowerCase() : "help";
    const rest = match ? match[2].trim() : "";
    const name: CommandName = (COMMAND_NAMES as readonly string[]).includes(word) ? (word as CommandName) : "unknown";
    commands.push({ name, args: rest ? rest.split(/\s+/u) : [], rest, line: i + 1, raw: text });
  });
  return commands;
}

/** Does any line start with a slash? A cheap test before any API call. */
export function mightHoldCommands(body: unknown): boolean {
  return typeof body === "string" && /(^|[\r\n])[ \t]*\//.test(body);
}
