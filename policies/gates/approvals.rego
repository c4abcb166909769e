# Approvals: a number of distinct approvers with write access or more,
# optionally only from listed users or members of listed teams, never
# counting the pull request's author or anyone who pushed commits to it, and
# optionally only approvals given on the current head commit. Reviews hold
# the latest state per reviewer, so a dismissed or superseded approval no
# longer counts.
package stagegate.gates.approvals

import data.stagegate.gates.util

config := util.gate_config("approvals")

required := object.get(config, "count", 1)

current_head_only := object.get(config, "current_head_only", false) == true

allowed_users := [u | some u in object.get(config, ["from", "users"], []); is_string(u)]

allowed_teams := [t | some t in object.get(config, ["from", "teams"], []); is_string(t)]

allowed_user(login) if {
	some u in allowed_users
	util.normal(u) == util.normal(login)
}

restricted if count(allowed_users) + count(allowed_teams) > 0

author := util.normal(input.pull_request.author)

approvals := [r |
	some r in object.get(input, "reviews", [])
	is_object(r)
	r.state == "APPROVED"
	is_string(r.reviewer)
]

# from_allowed(r): the reviewer is one of the people whose approval counts.
from_allowed(_) if not restricted

from_allowed(r) if allowed_user(r.reviewer)

from_allowed(r) if {
	some team in object.get(r, "teams", [])
	some t in allowed_teams
	util.normal(team) == util.normal(t)
}

# GitHub does not say who pushed a commit: the logins it attributes the pull
# request's commits to (as author or committer) stand for the pushers.
pushers := {util.normal(login) |
	some c in object.get(input, "commits", [])
	is_object(c)
	some login in [object.get(c, "author", null), object.get(c, "committer", null)]
	is_string(login)
	login != ""
}

pushed(r) if util.normal(r.reviewer) in pushers

# Fail closed: unless every commit was read, nobody is known not to have pushed.
commits_complete if {
	is_array(input.commits)
	is_number(input.commits_total)
	count(input.commits) >= input.commits_total
}

writer(r) if object.get(r, "permission", null) in {"admin", "write"}

# Everything but the head and the permission: who may approve at all.
may_approve(r) if {
	util.normal(r.reviewer) != author
	not pushed(r)
	from_allowed(r)
}

eligible(r) if {
	commits_complete
	may_approve(r)
	writer(r)
}

on_head_ok(_) if not current_head_only

on_head_ok(r) if r.on_current_head == true

approvers := {util.normal(r.reviewer) | some r in approvals; eligible(r); on_head_ok(r)}

still_needed := required - count(approvers)

deny contains util.finding("approvals", "waiting", msg) if {
	config
	still_needed > 0
	msg := concat("", [sprintf("needs %d more %s", [still_needed, noun]), who, notes])
}

noun := "approval" if still_needed == 1

else := "approvals"

who := concat("", [" from ", util.join_or(array.concat(
	[util.login(u) | some u in allowed_users],
	[util.login(t) | some t in allowed_teams],
))]) if {
	restricted
} else := ""

# Why approvals that exist did not count, so nobody wonders.
hints contains "the author's own approval does not count" if {
	some r in approvals
	util.normal(r.reviewer) == author
}

hints contains "approvals of earlier commits do not count" if {
	current_head_only
	some r in approvals
	may_approve(r)
	not on_head_ok(r)
}

hints contains sprintf("approvals by those who pushed commits do not count: %s", [util.join_and(sort(names))]) if {
	names := {util.login(r.reviewer) | some r in approvals; util.normal(r.reviewer) != author; pushed(r)}
	count(names) > 0
}

hints contains sprintf("approvals without write access do not count: %s", [util.join_and(sort(names))]) if {
	names := {util.login(r.reviewer) |
		some r in approvals
		may_approve(r)
		on_head_ok(r)
		is_string(r.permission)
		not writer(r)
	}
	count(names) > 0
}

hints contains "its commits were not gathered, so no approval counts" if {
	count(approvals) > 0
	not commits_gathered
}

commits_gathered if is_array(input.commits)

hints contains "its number of commits is unknown, so no approval counts" if {
	count(approvals) > 0
	commits_gathered
	not total_known
}

total_known if is_number(input.commits_total)

hints contains sprintf("only %d of its %d commits could be read, so no approval counts", [n, input.commits_total]) if {
	count(approvals) > 0
	is_number(input.commits_total)
	n := count(input.commits)
	n < input.commits_total
}

hints contains sprintf("%s %s not among them", [util.join_and(sort(outsiders)), verb]) if {
	restricted
	count(outsiders) > 0
	verb := {true: "is", false: "are"}[count(outsiders) == 1]
}

outsiders := {util.login(r.reviewer) |
	some r in approvals
	util.normal(r.reviewer) != author
	not from_allowed(r)
}

notes := sprintf(" (%s)", [concat("; ", sort(hints))]) if count(hints) > 0

else := ""
