# Verification in the source stage: the commit statuses or check runs named
# in `verified_by` (for example the sync status Argo CD notifications post
# after deploying to staging) must be successful on the promoted content, so
# a change that deployed badly to staging is not promoted further.
package stagegate.gates.verified_by

import data.stagegate.gates.util

contexts := {c | some c in util.gate_config("verified_by"); is_string(c)}

# Every status/check reported for the promoted content (none when not gathered).
reports := [r |
	some r in object.get(input, ["promotion", "verification"], [])
	is_object(r)
]

succeeded(ctx) if {
	some r in reports
	r.context == ctx
	r.state == "success"
}

reported(ctx) if {
	some r in reports
	r.context == ctx
	r.state != "missing"
}

# One finding per unsuccessful report; a context with any success passes
# (a status and a check run may share a name).
deny contains util.finding("verified_by", state_of(r.state), message(ctx, r.sha, detail(r.state))) if {
	some ctx in contexts
	not succeeded(ctx)
	some r in reports
	r.context == ctx
	r.state != "success"
}

# A context nobody reported yet: waiting for it.
deny contains util.finding("verified_by", "waiting", message(ctx, promoted_sha, details.missing)) if {
	some ctx in contexts
	not succeeded(ctx)
	not reported(ctx)
	not listed_missing(ctx)
}

listed_missing(ctx) if {
	some r in reports
	r.context == ctx
	r.state == "missing"
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

message(ctx, sha, suffix) := sprintf("%s has not reported %s as successful for %s%s", [util.source, ctx, util.short(sha), suffix]) if {
	util.source
} else := sprintf("%s has not succeeded on %s%s", [ctx, util.short(sha), suffix])
