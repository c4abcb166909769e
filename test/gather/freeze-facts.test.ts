import { parseConfig } from "../../src/config/load.js";
import { freezeFacts } from "../../src/gather/freeze-facts.js";
import { FREEZE_LABEL, freezeMarker } from "../../src/gather/freeze-marker.js";
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
    expect(facts.reads).toEqual([`issues ${FREEZE_LABEL("production")}`]);
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

  it("counts only freeze issues this app opened for this environment", async () => {
    const facts = plainFacts({
      issues: {
        [FREEZE_LABEL("production")]: [
          issue(3, APP_ID, `Frozen by @alice.\n${marker("production", "alice", "incident 123")}`),
          issue(4, null, marker("production", "mallory", "anyone can add a label")),
          issue(5, 7, marker("production", "bot", "another app")),
          issue(6, APP_ID, marker("staging", "alice", "label edited by hand")),
          issue(8, APP_ID, "no marker", "Freeze production for the migration"),
        ],
      },
    });
    const out = await freezeFacts(facts, production, APP_ID, WEDNESDAY_NOON);
    expect(out).toEqual({
      frozen: true,
      active: [
        {
          kind: "manual",
          reason: "incident 123",
          until_ns: null,
          by: "alice",
          url: "https://github.com/acme/gitops/issues/3",
        },
        // without a marker the title is the reason
        {
          kind: "manual",
          reason: "Freeze production for the migration",
          until_ns: null,
          by: null,
          url: "https://github.com/acme/gitops/issues/8",
        },
      ],
    });
  });
});
