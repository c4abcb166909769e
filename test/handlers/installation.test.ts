import { installation, installationRepositories } from "./payloads.js";
import { startApp, useNock } from "./harness.js";
import { productionRepo } from "./scenarios.js";

useNock();

describe("installation events", () => {
  test.each([
    ["installation", "created"],
    ["installation", "deleted"],
    ["installation_repositories", "added"],
    ["installation_repositories", "removed"],
  ] as const)("%s.%s is logged and calls nothing", async (name, action) => {
    const fx = productionRepo();
    const { receive, logs } = await startApp(fx);
    const payload =
      name === "installation" ? installation(fx, action as "created") : installationRepositories(fx, action as "added");
    await expect(receive(name, payload, "d-inst")).resolves.toBeUndefined();
    expect(fx.requests).toEqual([]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: "installation event",
        event: name,
        action,
        installation: fx.installationId,
        deliveryId: "d-inst",
      }),
    );
  });
});
