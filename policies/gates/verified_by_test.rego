package stagegate.gates.verified_by_test

import data.stagegate.gates.fixture_test as fx
import data.stagegate.gates.verified_by

promoted := "abc1234000000000000000000000000000000000"

configured(verification) := object.union(
	fx.with_promotion({"verification": verification}),
	{"gates": {"verified_by": ["argocd/staging", "e2e"]}},
)

test_not_configured_passes if {
	i := fx.with_promotion({"verification": [{"context": "argocd/staging", "state": "failure", "sha": promoted}]})
	count(verified_by.deny) == 0 with input as i
}

test_all_successful_pass if {
	i := configured([
		{"context": "argocd/staging", "state": "success", "sha": promoted},
		{"context": "e2e", "state": "success", "sha": promoted},
	])
	count(verified_by.deny) == 0 with input as i
}

test_failed_verification_fails if {
	i := configured([
		{"context": "argocd/staging", "state": "failure", "sha": promoted},
		{"context": "e2e", "state": "success", "sha": promoted},
	])
	findings := verified_by.deny with input as i
	findings == {{
		"id": "gate/verified_by",
		"gate": "verified_by",
		"state": "failed",
		"msg": "staging has not reported argocd/staging as successful for abc1234 (it failed)",
	}}
}

test_pending_and_missing_wait if {
	i := configured([
		{"context": "argocd/staging", "state": "pending", "sha": promoted},
		{"context": "e2e", "state": "missing", "sha": promoted},
	])
	findings := verified_by.deny with input as i
	fx.msgs(findings) == {
		"staging has not reported argocd/staging as successful for abc1234 (still pending)",
		"staging has not reported e2e as successful for abc1234 (not reported yet)",
	}
	fx.states(findings) == {"waiting"}
}

test_context_absent_from_facts_waits if {
	# Only argocd/staging was reported: e2e must still be waited for.
	i := configured([{"context": "argocd/staging", "state": "success", "sha": promoted}])
	findings := verified_by.deny with input as i
	fx.msgs(findings) == {"staging has not reported e2e as successful for abc1234 (not reported yet)"}
	fx.states(findings) == {"waiting"}
}

test_no_facts_at_all_waits_on_head if {
	i := object.union(object.remove(fx.base, ["promotion"]), {"gates": {"verified_by": ["e2e"]}})
	fx.msgs(verified_by.deny) == {"staging has not reported e2e as successful for 1111111 (not reported yet)"} with input as i
}

# issue 11 item 7: a success from anyone else must not hide a failure.
test_a_failed_duplicate_wins_over_a_success if {
	i := configured([
		{"context": "argocd/staging", "state": "failure", "sha": promoted},
		{"context": "argocd/staging", "state": "success", "sha": promoted},
		{"context": "e2e", "state": "success", "sha": promoted},
	])
	fx.states(verified_by.deny) == {"failed"} with input as i
}

bound := {"context": "argocd/staging", "app": "argocd"}

test_bound_entry_reads_only_its_source if {
	i := object.union(
		fx.with_promotion({"verification": [
			# an unbound report of the same name (from anyone) does not count for the bound entry
			{"context": "argocd/staging", "app": null, "creator": null, "state": "success", "sha": promoted},
			{"context": "argocd/staging", "app": "argocd", "creator": null, "state": "failure", "sha": promoted},
		]}),
		{"gates": {"verified_by": [bound]}},
	)
	msg := "staging has not reported argocd/staging from app argocd as successful for abc1234 (it failed)"
	fx.msgs(verified_by.deny) == {msg} with input as i
}

test_bound_entry_passes_on_its_source_success if {
	i := object.union(
		fx.with_promotion({"verification": [
			{"context": "argocd/staging", "app": "argocd", "creator": "bot", "state": "success", "sha": promoted},
		]}),
		{"gates": {"verified_by": [object.union(bound, {"creator": "bot"})]}},
	)
	count(verified_by.deny) == 0 with input as i
}

test_bound_entry_not_reported_waits if {
	i := object.union(fx.with_promotion({"verification": []}), {"gates": {"verified_by": [{"context": "e2e", "creator": "ci-bot"}]}})
	fx.msgs(verified_by.deny) == {"staging has not reported e2e from @ci-bot as successful for 1111111 (not reported yet)"} with input as i
}

test_without_source_names_the_check if {
	i := object.union(configured([{"context": "e2e", "state": "failure", "sha": promoted}]), {
		"environment": {"name": "staging", "mode": "warn", "source": null},
		"gates": {"verified_by": ["e2e"]},
	})
	fx.msgs(verified_by.deny) == {"e2e has not succeeded on abc1234 (it failed)"} with input as i
}
