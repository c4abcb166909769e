import { Deadline, DeadlineError } from "../../src/pipeline/deadline.js";

describe("Deadline", () => {
  test("check passes within the budget and throws, naming the step, once it is spent", () => {
    let t = 0;
    const d = new Deadline(1000, () => t);
    expect(() => d.check("reading")).not.toThrow();
    t = 1001;
    expect(() => d.check("reading files")).toThrow(
      new DeadlineError("evaluation timed out after 1 s (limits.timeout_ms) while reading files"),
    );
  });

  test("race rejects a call that never answers, and passes through one that does", async () => {
    const d = new Deadline(20);
    await expect(d.race("fast", Promise.resolve(42))).resolves.toBe(42);
    await expect(d.race("waiting for GitHub", new Promise(() => {}))).rejects.toThrow(
      /timed out .* while waiting for GitHub/,
    );
  });
});
