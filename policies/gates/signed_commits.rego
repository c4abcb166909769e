# Signed commits: with `signed_commits: true` every commit of the pull
# request must carry a signature GitHub verified.
package stagegate.gates.signed_commits

import data.stagegate.gates.util

enabled if util.gate_config("signed_commits") == true

deny contains util.finding("signed_commits", "failed", msg) if {
	enabled
	some c in input.commits
	object.get(c, "verified", false) != true
	msg := sprintf("commit %s %s is not verified by GitHub%s", [util.short(object.get(c, "sha", null)), by(c), reason(c)])
}

gathered if is_array(input.commits)

# Fail closed: the gate is on but the commits were not gathered.
deny contains util.finding("signed_commits", "failed", msg) if {
	enabled
	not gathered
	msg := "the pull request's commits were not gathered, so their signatures cannot be checked"
}

# Fail closed: commits GitHub counts but Stagegate did not read (it reads the
# newest 1,000) were not checked.
deny contains util.finding("signed_commits", "failed", msg) if {
	enabled
	gathered
	is_number(input.commits_total)
	unchecked := input.commits_total - count(input.commits)
	unchecked > 0
	msg := sprintf("%d of the pull request's %d commits were not read, so their signatures were not checked", [
		unchecked, input.commits_total,
	])
}

deny contains util.finding("signed_commits", "failed", msg) if {
	enabled
	gathered
	not total_known
	msg := "the pull request's number of commits is unknown, so some may not have been checked"
}

total_known if is_number(input.commits_total)

by(c) := sprintf("by %s", [util.login(c.author)]) if {
	is_string(c.author)
	c.author != ""
} else := sprintf("by %s", [util.login(c.committer)]) if {
	is_string(c.committer)
	c.committer != ""
} else := "by an unknown author"

reason(c) := sprintf(" (%s)", [c.verification_reason]) if {
	is_string(c.verification_reason)
	c.verification_reason != ""
} else := ""
