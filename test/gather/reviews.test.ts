import { gatherReviewFacts, latestReviews } from "../../src/gather/reviews.js";
import { plainFacts, review, sha, signed, unsigned } from "./plain-facts.js";

const HEAD = sha("a");
const OLD = sha("b");

describe("latestReviews", () => {
  it("keeps each reviewer's latest decision; comments do not replace it, dismissals do", () => {
    const reviews = latestReviews(
      [
        review("carol", "COMMENTED", "2025-06-03T10:00:00Z", HEAD), // listed first, submitted last
        review("carol", "APPROVED", "2025-06-02T10:00:00Z", HEAD),
        review("Dave", "APPROVED", "2025-06-01T10:00:00Z", OLD),
        review("dave", "DISMISSED", "2025-06-02T12:00:00Z", OLD),
        review("erin", "APPROVED", "2025-06-01T09:00:00Z", OLD),
        review("erin", "CHANGES_REQUESTED", "2025-06-02T13:00:00Z", HEAD),
        review("frank", "COMMENTED", "2025-06-03T11:00:00Z", HEAD),
        { reviewer: "gina", state: "PENDING", submittedAt: null, commitSha: HEAD },
      ],
      HEAD,
    );
    expect(reviews.map((r) => [r.reviewer, r.state, r.on_current_head])).toEqual([
      // in order of each reviewer's first review
      ["erin", "CHANGES_REQUESTED", true],
      ["dave", "DISMISSED", false],
      ["carol", "APPROVED", true],
      ["frank", "COMMENTED", true],
    ]);
  });

  it("does not count a review without a commit as on the current head", () => {
    const [r] = latestReviews(
      [{ reviewer: "bob", state: "APPROVED", submittedAt: "2025-06-01T00:00:00Z", commitSha: null }],
      "",
    );
    expect(r).toMatchObject({ commit_sha: "", on_current_head: false });
  });
});

describe("gatherReviewFacts", () => {
  const req = { number: 7, headSha: HEAD, reviews: true, commits: true, teams: ["@acme/sre", "acme/big", "acme/gone"] };

  it("names each reviewer's teams, asking only about approvers a partial member list misses", async () => {
    const facts = plainFacts({
      reviews: [
        review("Bob", "APPROVED", "2025-06-01T10:00:00Z", HEAD),
        review("carol", "APPROVED", "2025-06-01T11:00:00Z", HEAD),
        review("erin", "CHANGES_REQUESTED", "2025-06-01T12:00:00Z", HEAD),
      ],
      teams: {
        "@acme/sre": { logins: ["bob"], complete: true },
        "acme/big": { logins: ["BOB"], complete: false },
      },
      members: { "acme/big": ["bob", "carol", "erin"], "acme/gone": ["carol"] },
    });
    const out = await gatherReviewFacts(facts, { ...req, commits: false });
    expect(out.reviews!.map((r) => [r.reviewer, r.teams])).toEqual([
      ["Bob", ["acme/sre", "acme/big"]],
      ["carol", ["acme/big"]], // found by asking
      ["erin", []], // not an approver: not asked about
    ]);
    // an unknown team (acme/gone) has no members and is not asked about
    expect(facts.reads).toEqual(["activity #7", "member acme/big carol"]);
    expect(out.commits).toBeUndefined();
  });

  it("turns signatures into the verdict GitHub shows", async () => {
    const facts = plainFacts({
      commits: [
        signed(sha("c")),
        unsigned(sha("d")),
        { ...signed(HEAD, "mallory"), signature: { valid: false, state: "UNKNOWN_KEY" } },
      ],
    });
    const out = await gatherReviewFacts(facts, { ...req, reviews: false, teams: [] });
    expect(out.commits!.map((c) => [c.sha[0], c.author, c.verified, c.verification_reason])).toEqual([
      ["c", "alice", true, null],
      ["d", "alice", false, "unsigned"],
      ["a", "mallory", false, "unknown_key"],
    ]);
    expect(out.reviews).toBeUndefined();
  });

  it("reads nothing when nothing is needed", async () => {
    const facts = plainFacts();
    expect(await gatherReviewFacts(facts, { ...req, reviews: false, commits: false, teams: [] })).toEqual({});
    expect(facts.reads).toEqual([]);
  });
});
