# A PR-level rule of our own: changes to the payments service in production
# need an approval from a member of the payments team, whatever else the
# built-in approvals gate asks for. The input is the pull request's facts
# (schemas/pr-input.schema.json), not a manifest. Enabled per environment:
#
#   environments:
#     production:
#       gates:
#         policies: [gates.payments]
package gates.payments

team := "acme/payments"

# Paths that belong to the payments service in production.
payments_paths := ["envs/production/payments/**"]

# A file counts when it is, or was before a rename, under a payments path.
touches_payments if {
	some f in input.files
	some path in [f.path, f.previous_path]
	is_string(path)
	some pattern in payments_paths
	glob.match(pattern, ["/"], path)
}

# reviews[].teams lists, of the teams the config names, those the reviewer
# is in; the author's own approval never counts.
approved_by_team if {
	some r in object.get(input, "reviews", [])
	r.state == "APPROVED"
	lower(r.reviewer) != lower(input.pull_request.author)
	some t in r.teams
	lower(trim_prefix(t, "@")) == team
}

deny contains {
	"id": "acme/payments-approval",
	"gate": "payments",
	"state": "waiting",
	"msg": sprintf("changes under envs/production/payments/ need an approval from @%s", [team]),
} if {
	touches_payments
	not approved_by_team
}
