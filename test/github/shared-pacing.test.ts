/**
 * The write pace, checked on its pure core with a simulated clock: a burst goes out quickly, the sustained pace is
 * one a second, and no 60 s window ever holds more than GitHub's 80 content-creating requests.
 */
import {
  DEFAULT_PACE,
  holdFor,
  reserve,
  START,
  writePaceFromEnv,
  type PaceState,
  type WritePace,
} from "../../src/github/shared-pacing.js";

/** The slots the pace gives to writes asked for at `asks` (ms), in order. */
function slots(pace: WritePace, asks: number[]): number[] {
  let state: PaceState = START;
  return asks.map((now) => {
    const slot = reserve(pace, state, now);
    state = slot.state;
    return slot.at;
  });
}

function mostInAnyMinute(at: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i] - at[j] >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function gaps(at: number[]): number[] {
  return at.slice(1).map((t, i) => t - at[i]);
}

test("a burst of writes asked for at once: the first go a quarter second apart, then one a second", () => {
  const at = slots(DEFAULT_PACE, new Array(200).fill(0));
  const g = gaps(at);
  expect(g.slice(0, 20).every((d) => d === 250)).toBe(true);
  expect(g.slice(-100).every((d) => d === 1000)).toBe(true);
  // 40 writes (20 pull requests, two checks each) are all out within 25 s instead of 40.
  expect(at[39]).toBeLessThan(25_000);
  expect(mostInAnyMinute(at)).toBeLessThanOrEqual(80);
});

test("whatever the arrivals, never more than 80 writes in a minute, never closer than the gap", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 50; round++) {
    const asks: number[] = [];
    let t = 0;
    for (let i = 0; i < 400; i++) {
      // Bursts and lulls: mostly back to back, sometimes a pause of up to a minute.
      t += random() < 0.1 ? random() * 60_000 : random() * 300;
      asks.push(Math.round(t));
    }
    const at = slots(DEFAULT_PACE, asks);
    expect(mostInAnyMinute(at)).toBeLessThanOrEqual(80);
    expect(Math.min(...gaps(at))).toBeGreaterThanOrEqual(250);
    expect(at.every((slot, i) => slot >= asks[i])).toBe(true);
  }
});

test("the burst allowance comes back after a quiet spell, one write per second of quiet", () => {
  const first = slots(DEFAULT_PACE, new Array(40).fill(0));
  const quietFrom = first[39];
  let state: PaceState = START;
  for (const ask of new Array(40).fill(0)) state = reserve(DEFAULT_PACE, state, ask).state;
  // After 5 s of quiet, five writes (and what accrues while they go) fit at the gap again; then the sustained pace.
  const after = new Array(12).fill(0).map(() => {
    const slot = reserve(DEFAULT_PACE, state, quietFrom + 5_000);
    state = slot.state;
    return slot.at - (quietFrom + 5_000);
  });
  const g = gaps(after);
  expect(after.slice(0, 5)).toEqual([0, 250, 500, 750, 1000]);
  expect(g.filter((d) => d < 1000).length).toBeGreaterThanOrEqual(5);
  expect(g.filter((d) => d < 1000).length).toBeLessThanOrEqual(7);
  expect(g.slice(-3)).toEqual([1000, 1000, 1000]);
});

test("burst 0 keeps a second between every write", () => {
  const at = slots({ ...DEFAULT_PACE, burst: 0 }, [0, 0, 0, 10, 5_000, 5_001]);
  expect(at).toEqual([0, 1000, 2000, 3000, 5000, 6000]);
});

test("STAGEGATE_WRITE_BURST sets the burst; anything but 0–20 is refused by name", () => {
  expect(writePaceFromEnv({})).toEqual(DEFAULT_PACE);
  expect(writePaceFromEnv({ STAGEGATE_WRITE_BURST: "0" }).burst).toBe(0);
  expect(writePaceFromEnv({ STAGEGATE_WRITE_BURST: " 5 " }).burst).toBe(5);
  for (const bad of ["21", "-1", "1.5", "many"])
    expect(() => writePaceFromEnv({ STAGEGATE_WRITE_BURST: bad })).toThrow(/STAGEGATE_WRITE_BURST/);
});

test("after GitHub asks for quiet, the next write goes when it ends, then one a second without a burst", () => {
  const held = holdFor(DEFAULT_PACE, START, 1_000, 30_000);
  let state = held;
  const at = [0, 0, 0, 0].map(() => {
    const slot = reserve(DEFAULT_PACE, state, 1_000);
    state = slot.state;
    return slot.at;
  });
  expect(at).toEqual([31_000, 32_000, 33_000, 34_000]);
});
