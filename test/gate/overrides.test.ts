import type { AccessFacts, IssueComment, Permission } from "../../src/gate/access.js";
import { authorize } from "../../src/gate/authorize.js";
import {
  deriveOverride,
  OVERRIDE_RECORD_PREFIX,
  overrideMarker,
  overrideRecordOf,
  parseOverrideMarkers,
} from "../../src/gate/overrides.js";
import type { EnvironmentConfig, StagegateConfig } from "../../src/config/types.js";
import { withOverride } from "../../src/gate/judge.js";
import { isBlocking, type Verdict } from "../../src/gate/verdict.js";

const HEAD = "c".repeat(40);
const env = (over: Partial<EnvironmentConfig["override"]> = {}): EnvironmentConfig =>
  ({
    name: "production",
    override: { allowed: { users: ["carol"], teams: ["acme/sre"] }, required: 1, allow_author: false, ...over },
    freeze: { allowed: { users: [], teams: [] }, windows: [] },
  }) as unknown as EnvironmentConfig;
const config = (e: EnvironmentConfig) => ({ environments: { production: e } }) as unknown as StagegateConfig;

class Perms implements AccessFacts {
  constructor(
    readonly perms: Record<string, Permission>,
    readonly sre: string[] = [],
  ) {}
  async permission(user: string): Promise<Permission> {
    return this.perms[user] ?? "none";
  }
  async isTeamMember(org: string, slug: string, user: string): Promise<boolean> {
    return `${org}/${slug}` === "acme/sre" && this.sre.includes(user);
  }
}

/** An app comment shaped like the override action's record: fixed heading, marker on the last line. */
const record = (marker: string) =>
  `${OVERRIDE_RECORD_PREFIX}production\`** by @someone for commit ccccccc: reason\n\nA new push needs a new ` +
  `override.\n\n${marker}`;
const appComment = (marker: string, appId: number | null = 1): IssueComment => ({
  id: 1,
  body: record(marker),
  author: "stagegate[bot]",
  authorType: "Bot",
  appId,
  createdAt: "",
});
const mark = (by: string, reason = "r", sha = HEAD, environment = "production") =>
  overrideMarker({ environment, sha, by, reason });
const repo = { owner: "acme", repo: "gitops" };
const q = (e: EnvironmentConfig) => ({
  pr: { number: 7, headSha: HEAD, author: "alice" },
  env: "production",
  config: config(e),
  appId: 1,
});

describe("override markers", () => {
  test("round-trip, and a hostile reason cannot close the HTML comment", () => {
    const reason = "x --> <!-- stagegate:override {} --> ünïcode 🔥";
    const m = overrideMarker({ environment: "eu-prod", sha: HEAD, by: "carol", reason });
    expect(m.slice(4, -4)).not.toMatch(/-->|--|>/);
    expect(parseOverrideMarkers(`text ${m} more`)).toEqual([
      { environment: "eu-prod", sha: HEAD, by: "carol", reason },
    ]);
  });

  test("malformed markers are ignored", () => {
    expect(
      parseOverrideMarkers('<!-- stagegate:override {"environment":1} --> <!-- stagegate:override {nope} -->'),
    ).toEqual([]);
  });
});

describe("deriveOverride", () => {
  test("counts distinct, still-authorized overriders from the app's comments at the current head", async () => {
    const comments = [
      appComment(mark("carol", "a")),
      appComment(mark("carol", "again")),
      appComment(mark("dave", "b")),
      appComment(mark("mallory"), null),
    ];
    const source = { comments: async () => comments };
    const perms = new Perms({ carol: "write", dave: "write", mallory: "admin" }, ["dave"]);
    expect(await deriveOverride(source, perms, repo, q(env({ required: 2 })))).toEqual({
      by: ["carol", "dave"],
      reason: "a; b",
    });
    expect(await deriveOverride(source, perms, repo, q(env({ required: 3 })))).toBeUndefined();
  });

  test("marker syntax echoed by the app elsewhere is never a record (explain output, a second marker in a reason)", async () => {
    const perms = new Perms({ carol: "write", bob: "write" });
    const forged = mark("carol");
    // /gate explain quoting a file whose name holds a marker: not an override record.
    const explain: IssueComment = {
      ...appComment(forged),
      body: `**\`parse/syntax\`** in \`envs/production/${forged}.yaml\``,
    };
    expect(await deriveOverride({ comments: async () => [explain] }, perms, repo, q(env()))).toBeUndefined();
    // A record whose visible text smuggles a second marker: two markers, so not trusted.
    const smuggled: IssueComment = {
      ...appComment(mark("carol")),
      body: record(mark("carol")).replace("reason", mark("bob")),
    };
    expect(overrideRecordOf(smuggled.body)).toBeUndefined();
    expect(
      await deriveOverride(
        { comments: async () => [smuggled] },
        perms,
        repo,
        q(env({ allowed: { users: ["carol", "bob"], teams: [] }, required: 2 })),
      ),
    ).toBeUndefined();
  });

  test("an app comment that was edited afterwards is not trusted", async () => {
    const perms = new Perms({ carol: "write" });
    const edited = { ...appComment(mark("carol")), edited: true };
    expect(await deriveOverride({ comments: async () => [edited] }, perms, repo, q(env()))).toBeUndefined();
    expect(await deriveOverride({ comments: async () => [appComment(mark("carol"))] }, perms, repo, q(env()))).toEqual({
      by: ["carol"],
      reason: "r",
    });
  });

  test("an older head, another environment, or the author do not count", async () => {
    const comments = [
      appComment(mark("carol", "r", "d".repeat(40))),
      appComment(mark("carol", "r", HEAD, "staging")),
      appComment(mark("alice")),
    ];
    const perms = new Perms({ carol: "write", alice: "admin" });
    expect(
      await deriveOverride(
        { comments: async () => comments },
        perms,
        repo,
        q(env({ allowed: { users: ["carol", "alice"], teams: [] } })),
      ),
    ).toBeUndefined();
    // …unless the config allows the author.
    const allowAuthor = env({ allowed: { users: ["alice"], teams: [] }, allow_author: true });
    expect(await deriveOverride({ comments: async () => comments }, perms, repo, q(allowAuthor))).toEqual({
      by: ["alice"],
      reason: "r",
    });
  });
});

describe("authorize", () => {
  test("write first, then the allowlist; an empty allowlist admits nobody", async () => {
    const perms = new Perms({ carol: "read", dave: "write" }, ["dave"]);
    expect(await authorize(perms, repo, "carol", { kind: "override", env: env(), prAuthor: "alice" })).toEqual({
      ok: false,
      reason: "needs write permission on acme/gitops",
    });
    expect(await authorize(perms, repo, "dave", { kind: "override", env: env(), prAuthor: "alice" })).toEqual({
      ok: true,
    });
    expect(await authorize(perms, repo, "dave", { kind: "freeze", env: env() })).toEqual({
      ok: false,
      reason: "nobody may freeze production: environments.production.freeze.allowed is empty",
    });
  });
});

describe("issue 11 item 15: a freeze wins over an override unless it says it breaks the freeze", () => {
  const frozenVerdict = (): Verdict => ({
    environment: "production",
    mode: "enforce",
    findings: [],
    exemptions: [],
    filesChecked: 1,
    documentsChecked: 1,
    durationMs: 0,
    gates: [
      { gate: "freeze", state: "failed", messages: ["production is frozen until unfrozen by @bob: incident 123"] },
      { gate: "approvals", state: "waiting", messages: ["needs 1 more approval"] },
    ],
  });
  const breaking = (by: string) =>
    overrideMarker({ environment: "production", sha: HEAD, by, reason: "r", breakFreeze: true });
  const withFreezers = (users: string[]) => {
    const e = env();
    e.freeze.allowed.users = users;
    return e;
  };
  const perms = new Perms({ carol: "write", dave: "write" }, ["dave"]);

  test("issue 11 item 15: an override without --break-freeze leaves a frozen environment blocked", async () => {
    const e = withFreezers(["carol"]);
    const override = await deriveOverride({ comments: async () => [appComment(mark("carol"))] }, perms, repo, q(e));
    expect(override).toEqual({ by: ["carol"], reason: "r" });
    const verdict = withOverride(frozenVerdict(), override);
    expect(isBlocking(verdict)).toBe(true);
    expect(verdict.override).toBeUndefined();
    expect(verdict.gates![0].messages[1]).toMatch(/does not lift the freeze: that takes `override production --break/);
    // A verdict that is not frozen is still overridden as before.
    const thawed = { ...frozenVerdict(), gates: frozenVerdict().gates!.slice(1) };
    expect(isBlocking(withOverride(thawed, override))).toBe(false);
  });

  test("issue 11 item 15: --break-freeze breaks it only for someone on both allowlists", async () => {
    // dave may override (acme/sre) but not freeze: his --break-freeze overrides the other gates only
    const notFreezer = await deriveOverride(
      { comments: async () => [appComment(breaking("dave"))] },
      perms,
      repo,
      q(withFreezers(["carol"])),
    );
    expect(notFreezer).toEqual({ by: ["dave"], reason: "r" });
    expect(isBlocking(withOverride(frozenVerdict(), notFreezer))).toBe(true);
    // carol may do both
    const both = await deriveOverride(
      { comments: async () => [appComment(mark("carol")), appComment(breaking("carol"))] },
      perms,
      repo,
      q(withFreezers(["carol"])),
    );
    expect(both).toEqual({ by: ["carol"], reason: "r", breaksFreeze: true });
    expect(isBlocking(withOverride(frozenVerdict(), both))).toBe(false);
  });

  test("with two overriders required, both must break the freeze", async () => {
    const e = withFreezers(["carol", "dave"]);
    e.override.required = 2;
    const one = await deriveOverride(
      { comments: async () => [appComment(breaking("carol")), appComment(mark("dave"))] },
      perms,
      repo,
      q(e),
    );
    expect(one?.breaksFreeze).toBeUndefined();
    const two = await deriveOverride(
      { comments: async () => [appComment(breaking("carol")), appComment(breaking("dave"))] },
      perms,
      repo,
      q(e),
    );
    expect(two?.breaksFreeze).toBe(true);
  });

  test("the marker records --break-freeze; markers without it never break a freeze", () => {
    const m = breaking("carol");
    expect(m).toContain('"break_freeze":true');
    expect(parseOverrideMarkers(m)).toEqual([
      { environment: "production", sha: HEAD, by: "carol", reason: "r", breakFreeze: true },
    ]);
    expect(parseOverrideMarkers(mark("carol"))[0].breakFreeze).toBeUndefined();
  });
});
