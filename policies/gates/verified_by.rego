# Verification in the source stage: the commit statuses or check runs named
# in `verified_by` (for example the sync status Argo CD notifications post
# after deploying to staging) must be successful on the promoted content, so
# a change that deployed badly to staging is not promoted further.
#
# An entry is a name trusted from any source (a string) or bound to its
# source: `{"context": ..., "app": <GitHub App slug>}` and/or
# `"creator": <login>`. The facts hold, per entry, the worst of what its
# trusted sources last reported, so a failure from the trusted source wins.
package stagegate.gates.verified_by

import data.stagegate.gates.util

entries := {entry(c) | some c in util.gate_config("verified_by"); entry(c)}

entry(c) := {"context": c, "app": null, "creator": null} if is_string(c)

entry(c) := {"context": c.context, "app": object.get(c, "app", null), "creator": object.get(c, "creator", null)} if {
	is_object(c)
	is_string(c.context)
}

# Every report gathered for the promoted content (none when not gathered).
reports := [r |
	some r in object.get(input, ["promotion", "verification"], [])
	is_object(r)
]

# The reports for one entry: same name, same trusted sources.
reports_for(e) := [r |
	some r in reports
	r.context == e.context
	object.get(r, "app", null) == e.app
	object.get(r, "creator", null) == e.creator
]

# Passes only when reported and every report for the entry succeeded.
succeeded(e) if {
	rs := reports_for(e)
	count(rs) > 0
	count([r | some r in rs; r.state != "success"]) == 0
}

# One finding per unsuccessful report.
deny contains util.finding("verified_by", state_of(r.state), message(e, r.sha, detail(r.state))) if {
	some e in entries
	some r in reports_for(e)
	r.state != "success"
}

# An entry nobody reported yet (or whose facts were not gathered): waiting for it.
deny contains util.finding("verified_by", "waiting", message(e, promoted_sha, details.missing)) if {
	some e in entries
	count(reports_for(e)) == 0
}

# Only a failure needs a change; pending and missing need time.
state_of(s) := "failed" if s in {"failure", "error"}

else := "waiting"

details := {
	"failure": " (it failed)",
	"error": " (it failed)",
	"pending": " (still pending)",
	"missing": " (not reported yet)",
}

detail(s) := object.get(details, s, sprintf(" (state %s)", [json.marshal(s)]))

# The promoted content's commit in the source stage, when the facts name it;
# else the pull request's head.
promoted_sha := shas[0] if {
	shas := [r.sha | some r in reports; is_string(r.sha)]
	count(shas) > 0
} else := input.pull_request.head.sha

# "argocd/staging", or with its trusted source: "argocd/staging from app argocd", "… from @bot".
name(e) := concat(" from ", [e.context, util.join_or(sources(e))]) if count(sources(e)) > 0

else := e.context

sources(e) := array.concat(
	[sprintf("app %s", [e.app]) | is_string(e.app)],
	[util.login(e.creator) | is_string(e.creator)],
)

message(e, sha, suffix) := sprintf("%s has not reported %s as successful for %s%s", [util.source, name(e), util.short(sha), suffix]) if {
	util.source
} else := sprintf("%s has not succeeded on %s%s", [name(e), util.short(sha), suffix])
