/**
 * Shared set-up of the end-to-end suites: one simulator + real server per file, and GitHub's verdict on every request.
 */
import { startStack, type Stack } from "../../demo/harness.js";

export const PROD = "stagegate / production";
export const STAGING = "stagegate / staging";
/**
 * In-process (these suites): 202 once verified, the work going on in the background. With Redis, Probot's middleware
 * answers 200 once handled (enqueued), or 202 when handling outlasts its 9 s.
 */
export const ACCEPTED = [200, 202];
export const SLOW = 180_000;

/** The running stack of the current test file (set in beforeAll). */
export let stack: Stack;

/** Registers the file's hooks: start the stack once, close it after, and check every request after each test. */
export function useStack(): void {
  beforeAll(async () => {
    stack = await startStack({ logLevel: "fatal" });
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    // Every request the app made was one GitHub would have accepted.
    expect(stack.sim.violations).toEqual([]);
  });
}
