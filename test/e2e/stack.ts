/**
 * Shared set-up of the end-to-end suites: one simulator + real server per file, and GitHub's verdict on every request.
 */
import { startStack, type Stack } from "../../demo/harness.js";

export const PROD = "stagegate / production";
export const STAGING = "stagegate / staging";
/**
 * 200 once handled; 202 when handling outlasts the webhook middleware's 9 s (a cold policy compile on a busy machine).
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
