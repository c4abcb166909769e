import { Coalescer } from "../../src/pipeline/coalesce.js";

/** A promise the test resolves when it chooses. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe("Coalescer", () => {
  test("requests arriving while one runs collapse into one follow-up of the newest", async () => {
    const c = new Coalescer();
    const ran: string[] = [];
    const g = gate();
    const p1 = c.run("pr#7", async () => {
      ran.push("1");
      await g.wait;
    });
    const p2 = c.run("pr#7", async () => void ran.push("2"));
    const p3 = c.run("pr#7", async () => void ran.push("3"));
    expect(ran).toEqual(["1"]);
    g.open();
    await Promise.all([p1, p2, p3]);
    expect(ran).toEqual(["1", "3"]);
  });

  test("different keys run independently", async () => {
    const c = new Coalescer();
    const ran: string[] = [];
    const g = gate();
    const a = c.run("pr#7", async () => {
      await g.wait;
      ran.push("a");
    });
    await c.run("pr#8", async () => void ran.push("b"));
    expect(ran).toEqual(["b"]);
    g.open();
    await a;
    expect(ran).toEqual(["b", "a"]);
  });

  test("a key is free again once its runs are done", async () => {
    const c = new Coalescer();
    const ran: number[] = [];
    await c.run("k", async () => void ran.push(1));
    await c.run("k", async () => void ran.push(2));
    expect(ran).toEqual([1, 2]);
  });

  test("a failing run does not drop the follow-up queued behind it", async () => {
    const c = new Coalescer();
    const ran: string[] = [];
    const g = gate();
    const p1 = c.run("k", async () => {
      await g.wait;
      throw new Error("boom");
    });
    const p2 = c.run("k", async () => void ran.push("newest"));
    g.open();
    await Promise.allSettled([p1, p2]);
    expect(ran).toEqual(["newest"]);
  });

  test("the caller of a failing run still sees its error", async () => {
    const c = new Coalescer();
    await expect(c.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    // …and the key is usable afterwards.
    const ran: number[] = [];
    await c.run("k", async () => void ran.push(1));
    expect(ran).toEqual([1]);
  });

  test("as the in-process work queue: a replaced request's policy check runs with the follow-up", async () => {
    const c = new Coalescer();
    const ran: string[] = [];
    const g = gate();
    const job = (deliveryId: string, policyCheck: boolean) => ({
      owner: "acme",
      repo: "gitops",
      pr: 7,
      deliveryId,
      reason: "test",
      policyCheck,
    });
    const p1 = c.submit(job("a", false), async (policy) => {
      ran.push(`a${policy ? "+policy" : ""}`);
      await g.wait;
    });
    const p2 = c.submit(job("b", true), async (policy) => void ran.push(`b${policy ? "+policy" : ""}`));
    const p3 = c.submit(job("c", false), async (policy) => void ran.push(`c${policy ? "+policy" : ""}`));
    // Another PR is its own key.
    const p4 = c.submit({ ...job("d", false), pr: 8 }, async () => void ran.push("d"));
    g.open();
    await Promise.all([p1, p2, p3, p4]);
    expect(ran).toEqual(["a", "d", "c+policy"]);
  });
});
