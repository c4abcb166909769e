import { parseConfig } from "../../src/config/load.js";
import type { IssueComment } from "../../src/gate/access.js";
import { appFreezes, freezeFacts, freezeOfIssue } from "../../src/gather/freeze-facts.js";
import { FREEZE_LABEL, freezeMarker, freezeRecord, freezeRecordOf } from "../../src/gather/freeze-marker.js";
import { issue, plainFacts } from "./plain-facts.js";

const APP_ID = 42;
const config = parseConfig(`
version: 1
environments:
  production:
    branches: [production]
    freeze:
      windows:
        - weekly: "Fri 16:00 - Mon 08:00"
          timezone: Europe/Berlin
          reason: weekend
        - cron: "0 22 * * *"
          duration: 8h
`);
const production = config.environments.production;
const WEDNESDAY_NOON = Date.parse("2025-06-04T12:00:00Z");
const marker = (environment: string, by: string, reason: string) => freezeMarker({ environment, by, reason });

describe("freezeFacts", () => {
  it("is not frozen outside the windows without freeze issues", async () => {
    const facts = plainFacts();
    expect(await freezeFacts(facts, production, APP_ID, WEDNESDAY_NOON)).toEqual({ frozen: false, active: [] });
    expect(facts.reads).toEqual(["issues"]);
  });

  it("reports active scheduled windows, ending in their own time zone", async () => {
    const friday = Date.parse("2025-06-06T23:00:00Z");
    const out = await freezeFacts(plainFacts(), production, APP_ID, friday);
    expect(out.frozen).toBe(true);
    expect(out.active).toEqual([
      {
        kind: "schedule",
        reason: "weekend",
        until_ns: Date.parse("2025-06-09T06:00:00Z") * 1e6,
        by: null,
        url: null,
        timezone: "Europe/Berlin",
        window: "weekly",
      },
      {
        kind: "schedule",
        reason: "scheduled change freeze",
        until_ns: Date.parse("2025-06-07T06:00:00Z") * 1e6,
        by: null,
        url: null,
        timezone: "UTC",
        window: "cron",
      },
    ]);
  });

  it("counts only issues this app opened; without a trusted record, whatever the issue names (fail closed)", async () => {
    const facts = plainFacts({
      issues: {
        [FREEZE_LABEL("production")]: [
          issue(3, APP_ID, `Frozen by @alice.\n${marker("production", "alice", "incident 123")}`),
          issue(4, null, marker("production", "mallory", "anyone can add a label")),
          issue(5, 7, marker("production", "bot", "another app")),
          // an older freeze issue whose label and body disagree freezes both
          issue(6, APP_ID, marker("staging", "alice", "label edited by hand")),
          issue(8, APP_ID, "no marker", "Freeze production for the migration"),
        ],
      },
    });
    const out = await freezeFacts(facts, production, APP_ID, WEDNESDAY_NOON);
    expect(out.active.map((a) => [a.url?.split("/").pop(), a.by, a.reason])).toEqual([
      ["3", "alice", "incident 123"],
      ["6", "alice", "label edited by hand"],
      // without a marker the title is the reason
      ["8", null, "Freeze production for the migration"],
    ]);
  });
});

const record = (id: number, env: string, over: Partial<IssueComment> = {}): IssueComment => ({
  id,
  body: freezeRecord({ environment: env, by: "alice", reason: "incident 123" }, "close this issue."),
  author: "stagegate[bot]",
  authorType: "Bot",
  appId: APP_ID,
  createdAt: "2025-06-01T00:00:00Z",
  edited: false,
  ...over,
});

describe("issue 11 item 6: the app's record decides, and tampering never lifts a freeze", () => {
  const tampered = (body: string) => issue(12, APP_ID, body, "Freeze: production (incident 123)");

  it("issue 11 item 6: an edited body, a renamed or deleted label: the record still freezes production", async () => {
    // The body now names staging and the issue has no freeze label at all (renamed or deleted).
    const facts = plainFacts({
      issues: { other: [tampered(marker("staging", "mallory", "moved"))] },
      comments: { 12: [record(1, "production")] },
    });
    const out = await freezeFacts(facts, production, APP_ID, WEDNESDAY_NOON);
    expect(out.active).toEqual([
      { kind: "manual", reason: "incident 123", until_ns: null, by: "alice", url: expect.stringMatching(/\/12$/) },
    ]);
    expect(await appFreezes(facts, APP_ID)).toEqual([expect.objectContaining({ environments: ["production"] })]);
  });

  it("issue 11 item 6: records by people, or edited by people, are not trusted; nothing left names one: all", async () => {
    const facts = plainFacts({
      issues: { other: [tampered("nothing here")] },
      comments: {
        12: [
          record(1, "staging", { appId: null, author: "mallory" }),
          record(2, "production", { edited: true, body: "edited away" }),
        ],
      },
    });
    const [freeze] = await appFreezes(facts, APP_ID);
    expect(freeze).toMatchObject({ environments: "every", recorded: false });
    expect((await freezeFacts(facts, production, APP_ID, WEDNESDAY_NOON)).frozen).toBe(true);
  });

  it("an edited record still names its environment among the fail-closed ones", () => {
    const freeze = freezeOfIssue(
      { number: 12, title: "t", body: null, url: "u", labels: [] },
      [record(1, "production", { edited: true })],
      APP_ID,
    );
    expect(freeze).toMatchObject({ environments: ["production"], recorded: false });
  });

  it("a record is the app's heading with one marker as its last line; echoed markers are not records", () => {
    const mark = { environment: "production", by: "alice", reason: "x --> <!-- y" };
    expect(freezeRecordOf(freezeRecord(mark, "close it."))).toEqual(mark);
    expect(freezeRecordOf(`quote: ${freezeRecord(mark, "close it.")}`)).toBeUndefined();
    expect(freezeRecordOf(`${freezeRecord(mark, "close it.")}\n${freezeMarker(mark)}`)).toBeUndefined();
  });
});
