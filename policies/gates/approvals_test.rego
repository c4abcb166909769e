package stagegate.gates.approvals_test

import data.stagegate.gates.approvals
import data.stagegate.gates.fixture_test as fx

review(reviewer, state, on_head, teams) := {
	"reviewer": reviewer,
	"state": state,
	"submitted_at": "2025-01-03T10:00:00Z",
	"commit_sha": fx.head,
	"on_current_head": on_head,
	"teams": teams,
	"permission": "write",
}

with_reviews(config, reviews) := fx.input_with({"gates": {"approvals": config}, "reviews": reviews})

sre := {"count": 1, "from": {"users": [], "teams": ["org/sre"]}, "current_head_only": false}

anyone(n) := {"count": n, "from": {"users": [], "teams": []}, "current_head_only": false}

test_not_configured_passes if {
	count(approvals.deny) == 0 with input as fx.base
}

test_no_reviews_waits if {
	findings := approvals.deny with input as with_reviews(sre, [])
	findings == {{"id": "gate/approvals", "gate": "approvals", "state": "waiting", "msg": "needs 1 more approval from @org/sre"}}
}

test_team_member_approval_passes if {
	count(approvals.deny) == 0 with input as with_reviews(sre, [review("carol", "APPROVED", true, ["org/sre"])])
}

test_team_match_ignores_case_and_at if {
	config := object.union(sre, {"from": {"users": [], "teams": ["@Org/SRE"]}})
	count(approvals.deny) == 0 with input as with_reviews(config, [review("carol", "APPROVED", true, ["org/sre"])])
}

test_non_member_does_not_count if {
	findings := approvals.deny with input as with_reviews(sre, [review("dave", "APPROVED", true, [])])
	fx.msgs(findings) == {"needs 1 more approval from @org/sre (@dave is not among them)"}
}

test_self_approval_does_not_count if {
	findings := approvals.deny with input as with_reviews(anyone(1), [review("bob", "APPROVED", true, [])])
	fx.msgs(findings) == {"needs 1 more approval (the author's own approval does not count)"}
}

test_self_approval_by_team_member_does_not_count if {
	findings := approvals.deny with input as with_reviews(sre, [review("Bob", "APPROVED", true, ["org/sre"])])
	fx.msgs(findings) == {"needs 1 more approval from @org/sre (the author's own approval does not count)"}
}

test_dismissed_and_changes_requested_do_not_count if {
	reviews := [
		review("carol", "DISMISSED", true, ["org/sre"]),
		review("erin", "CHANGES_REQUESTED", true, ["org/sre"]),
		review("frank", "COMMENTED", true, ["org/sre"]),
	]
	fx.msgs(approvals.deny) == {"needs 1 more approval from @org/sre"} with input as with_reviews(sre, reviews)
}

test_approval_on_old_head_counts_by_default if {
	count(approvals.deny) == 0 with input as with_reviews(sre, [review("carol", "APPROVED", false, ["org/sre"])])
}

test_approval_on_old_head_ignored_when_current_head_only if {
	config := object.union(sre, {"current_head_only": true})
	findings := approvals.deny with input as with_reviews(config, [review("carol", "APPROVED", false, ["org/sre"])])
	fx.msgs(findings) == {"needs 1 more approval from @org/sre (approvals of earlier commits do not count)"}
}

test_current_head_only_accepts_head_approval if {
	config := object.union(sre, {"current_head_only": true})
	count(approvals.deny) == 0 with input as with_reviews(config, [review("carol", "APPROVED", true, ["org/sre"])])
}

test_distinct_approvers_counted if {
	reviews := [
		review("carol", "APPROVED", true, []),
		review("CAROL", "APPROVED", true, []),
	]
	fx.msgs(approvals.deny) == {"needs 1 more approval"} with input as with_reviews(anyone(2), reviews)
}

test_two_needed_plural_and_who if {
	config := {"count": 2, "from": {"users": ["alice", "@bob"], "teams": ["org/sre"]}, "current_head_only": false}
	fx.msgs(approvals.deny) == {"needs 2 more approvals from @alice, @bob or @org/sre"} with input as with_reviews(config, [])
}

test_listed_user_counts if {
	config := {"count": 2, "from": {"users": ["alice"], "teams": ["org/sre"]}, "current_head_only": false}
	reviews := [review("Alice", "APPROVED", true, []), review("carol", "APPROVED", true, ["org/sre"])]
	count(approvals.deny) == 0 with input as with_reviews(config, reviews)
}

test_reviews_not_gathered_waits if {
	i := object.union(object.remove(fx.base, ["reviews"]), {"gates": {"approvals": sre}})
	fx.states(approvals.deny) == {"waiting"} with input as i
}

# issue 11 item 4: approvals by anyone.

with_permission(r, p) := object.union(r, {"permission": p})

carol_sre := review("carol", "APPROVED", true, ["org/sre"])

with_commits(i, commits, total) := object.union(i, {"commits": commits, "commits_total": total})

pushed_by(login) := {
	"sha": "c", "author": "bob", "committer": login,
	"message": "m", "verified": true, "verification_reason": null,
}

test_approval_without_write_access_does_not_count if {
	i := with_reviews(anyone(1), [with_permission(review("zed", "APPROVED", true, []), "read")])
	msg := "needs 1 more approval (approvals without write access do not count: @zed)"
	fx.msgs(approvals.deny) == {msg} with input as i
}

test_named_approver_without_write_access_does_not_count if {
	config := {"count": 1, "from": {"users": ["zed"], "teams": []}, "current_head_only": false}
	i := with_reviews(config, [with_permission(review("zed", "APPROVED", true, []), "none")])
	msg := "needs 1 more approval from @zed (approvals without write access do not count: @zed)"
	fx.msgs(approvals.deny) == {msg} with input as i
}

test_permission_not_looked_up_does_not_count if {
	reviews := [object.remove(review("carol", "APPROVED", true, []), ["permission"])]
	fx.states(approvals.deny) == {"waiting"} with input as with_reviews(anyone(1), reviews)
}

test_admin_counts if {
	reviews := [with_permission(review("carol", "APPROVED", true, []), "admin")]
	count(approvals.deny) == 0 with input as with_reviews(anyone(1), reviews)
}

test_pusher_approval_does_not_count if {
	i := with_commits(with_reviews(sre, [review("Carol", "APPROVED", true, ["org/sre"])]), [pushed_by("carol")], 1)
	msg := "needs 1 more approval from @org/sre (approvals by those who pushed commits do not count: @Carol)"
	fx.msgs(approvals.deny) == {msg} with input as i
}

test_commits_not_all_read_counts_nobody if {
	i := with_commits(with_reviews(sre, [carol_sre]), [pushed_by("web-flow")], 1001)
	msg := "needs 1 more approval from @org/sre (only 1 of its 1001 commits could be read, so no approval counts)"
	fx.msgs(approvals.deny) == {msg} with input as i
}

test_commits_not_gathered_counts_nobody if {
	i := object.remove(with_reviews(sre, [carol_sre]), ["commits"])
	msg := "needs 1 more approval from @org/sre (its commits were not gathered, so no approval counts)"
	fx.msgs(approvals.deny) == {msg} with input as i
}
