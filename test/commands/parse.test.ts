import { mightHoldCommands, parseCommands } from "../../src/commands/parse.js";

const P = ["/gate", "/stagegate"];

describe("parseCommands", () => {
  test("several commands, one per line, with their line numbers and arguments", () => {
    const body = "Thanks!\n/gate check\n  /gate override   incident 42:   hotfix  \nbye";
    expect(parseCommands(body, P)).toEqual([
      { name: "check", args: [], rest: "", line: 2, raw: "/gate check" },
      {
        name: "override",
        args: ["incident", "42:", "hotfix"],
        rest: "incident 42:   hotfix",
        line: 3,
        raw: "/gate override   incident 42:   hotfix",
      },
    ]);
  });

  test("command names are case-insensitive; the prefix too; /stagegate works", () => {
    const cmds = parseCommands("/GATE Explain main.deny_latest\n/Stagegate PROMOTE production", P);
    expect(cmds.map((c) => [c.name, c.args])).toEqual([
      ["explain", ["main.deny_latest"]],
      ["promote", ["production"]],
    ]);
  });

  test("a configured prefix replaces /gate but /stagegate still works", () => {
    const cmds = parseCommands("/ship check\n/gate check\n/stagegate help", ["/ship", "/stagegate"]);
    expect(cmds.map((c) => c.name)).toEqual(["check", "help"]);
  });

  test("fenced code blocks (``` and ~~~), indented code and quotes are ignored", () => {
    const body = [
      "```",
      "/gate override not me",
      "```",
      "~~~~ text",
      "/gate freeze production nope",
      "~~~",
      "/gate still inside the tilde fence",
      "~~~~",
      "    /gate check",
      "\t/gate check",
      "> /gate override quoted",
      ">/gate override quoted too",
      "/gate help",
    ].join("\n");
    expect(parseCommands(body, P).map((c) => [c.name, c.line])).toEqual([["help", 13]]);
  });

  test("an unclosed fence swallows the rest of the comment", () => {
    expect(parseCommands("```yaml\n/gate check", P)).toEqual([]);
  });

  test("a command must start a line and the prefix must be a whole word", () => {
    expect(parseCommands("please /gate check\n/gateway check\n/gatecheck", P)).toEqual([]);
  });

  test("unicode in arguments is kept; unicode spaces separate", () => {
    const [c] = parseCommands("/gate override Störung 🔥 im\u00a0Zahlungsdienst — 事故", P);
    expect(c.name).toBe("override");
    expect(c.rest).toBe("Störung 🔥 im\u00a0Zahlungsdienst — 事故");
    expect(c.args).toEqual(["Störung", "🔥", "im", "Zahlungsdienst", "—", "事故"]);
  });

  test("unknown words and a bare prefix", () => {
    expect(parseCommands("/gate deploy now\n/gate", P).map((c) => [c.name, c.args, c.raw])).toEqual([
      ["unknown", ["now"], "/gate deploy now"],
      ["help", [], "/gate"],
    ]);
  });

  test("CRLF line endings and hostile input never throw", () => {
    expect(parseCommands("/gate check\r\n/gate help\r", P).map((c) => c.name)).toEqual(["check", "help"]);
    expect(parseCommands("", P)).toEqual([]);
    expect(parseCommands(undefined as unknown as string, P)).toEqual([]);
    expect(parseCommands(`/gate override ${"x".repeat(10_000)}`, P)).toEqual([]);
    expect(parseCommands("/gate check\n".repeat(5000), P)).toHaveLength(5000);
  });

  test("mightHoldCommands is a cheap filter for comments without a slash at a line start", () => {
    expect(mightHoldCommands("LGTM")).toBe(false);
    expect(mightHoldCommands("ok\n  /gate check")).toBe(true);
    expect(mightHoldCommands(null)).toBe(false);
  });
});
