import { jest } from "@jest/globals";
import { useNock } from "../handlers/harness.js";
import { BAD_WEB, configWith } from "../handlers/repo-content.js";
import { productionRepo, PROD_CHECK, WEB } from "../handlers/scenarios.js";
import { startCommands, type CommandHarness } from "./harness.js";

jest.setTimeout(60_000);
useNock();

/** production: overridable by carol or @acme/sre, frozen and unfrozen by @acme/release. */
const CONFIG = configWith(`  production:
    branches: [production]
    paths: ["envs/production/**"]
    override:
      allowed: { users: [carol], teams: ["@acme/sre"] }
    freeze:
      allowed: { teams: [acme/release] }
`);

async function setup(): Promise<CommandHarness> {
  const h = await startCommands(productionRepo({ config: CONFIG, change: { [WEB]: BAD_WEB } }));
  h.social.allow("bob", "write").allow("carol", "write").allow("dave", "write").allow("erin", "admin");
  h.social.member("acme/sre", "dave").member("acme/sre", "erin").member("acme/release", "bob");
  h.social.member("acme/release", "erin");
  return h;
}

const lastReply = (h: CommandHarness) => h.social.appComments(7).at(-1)?.body ?? "";
const latest = (h: CommandHarness) => h.fx.runsNamed(PROD_CHECK).at(-1)?.conclusion;

describe("issue 11 item 15: /gate override and freezes", () => {
  test(
    "issue 11 item 15: an override does not pass a frozen environment; --break-freeze from someone on " +
      "both lists does",
    async () => {
      const h = await setup();
      await h.say("bob", "/gate freeze production INC-1 failover");
      expect(latest(h)).toBe("failure");

      await h.say("carol", "/gate override payments down");
      expect(lastReply(h)).toContain("`production` is frozen, and an override does not lift a freeze");
      expect(latest(h)).toBe("failure");

      await h.say("dave", "/gate override --break-freeze payments down");
      expect(lastReply(h)).toBe(
        "@dave cannot break the freeze of `production`: needs to be one of @acme/release " +
          "(environments.production.freeze.allowed). Nothing was changed.",
      );

      await h.say("erin", "/gate override production --break-freeze payments down");
      const record = h.social.appComments(7).at(-1)!.body;
      expect(record).toContain("(breaking the freeze): payments down");
      expect(record).toContain('"by":"erin","reason":"payments down","break_freeze":true} -->');
      expect(latest(h)).not.toBe("failure");
    },
  );
});
