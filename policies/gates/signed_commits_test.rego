package stagegate.gates.signed_commits_test

import data.stagegate.gates.fixture_test as fx
import data.stagegate.gates.signed_commits

commit(sha, author, verified, reason) := {
	"sha": sha,
	"author": author,
	"committer": "web-flow",
	"message": "bump api",
	"verified": verified,
	"verification_reason": reason,
}

signed(commits) := fx.input_with({"gates": {"signed_commits": true}, "commits": commits})

test_verified_commits_pass if {
	count(signed_commits.deny) == 0 with input as signed([commit("abc1234aaaa", "bob", true, "valid")])
}

test_unsigned_commit_fails if {
	findings := signed_commits.deny with input as signed([
		commit("abc1234aaaa", "bob", false, "unsigned"),
		commit("def5678bbbb", "alice", true, "valid"),
	])
	findings == {{
		"id": "gate/signed_commits",
		"gate": "signed_commits",
		"state": "failed",
		"msg": "commit abc1234 by @bob is not verified by GitHub (unsigned)",
	}}
}

test_each_unverified_commit_reported if {
	findings := signed_commits.deny with input as signed([
		commit("abc1234aaaa", null, false, "unknown_key"),
		commit("def5678bbbb", "alice", false, null),
	])
	fx.msgs(findings) == {
		"commit abc1234 by @web-flow is not verified by GitHub (unknown_key)",
		"commit def5678 by @alice is not verified by GitHub",
	}
}

test_missing_verified_field_fails if {
	fx.msgs(signed_commits.deny) == {"commit abc1234 by an unknown author is not verified by GitHub"} with input as signed([{"sha": "abc1234aaaa"}])
}

test_disabled_passes if {
	i := fx.input_with({"gates": {"signed_commits": false}, "commits": [commit("abc1234aaaa", "bob", false, "unsigned")]})
	count(signed_commits.deny) == 0 with input as i
}

test_commits_not_gathered_fail_closed if {
	i := object.union(object.remove(fx.base, ["commits"]), {"gates": {"signed_commits": true}})
	fx.msgs(signed_commits.deny) == {"the pull request's commits were not gathered, so their signatures cannot be checked"} with input as i
}

# issue 11 item 8: only the newest 1,000 commits are read.
test_unchecked_commits_fail if {
	i := fx.input_with({"gates": {"signed_commits": true}, "commits": [], "commits_total": 1})
	msg := "1 of the pull request's 1 commits were not read, so their signatures were not checked"
	fx.msgs(signed_commits.deny) == {msg} with input as i
}

test_unknown_total_fails if {
	i := object.remove(fx.input_with({"gates": {"signed_commits": true}}), ["commits_total"])
	fx.states(signed_commits.deny) == {"failed"} with input as i
}
