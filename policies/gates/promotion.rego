# Promotion order: a change enters an environment only after it went through
# the stage it promotes from (`promote_from`). Branch-per-environment repos
# use commits mode (every head commit is already in the source branch);
# squash/rebase workflows and directory-per-environment repos use content
# mode (each changed file equals its counterpart in the source stage).
package stagegate.gates.promotion

import data.stagegate.gates.util

# How many commits one message names before "and N more".
max_listed := 5

promotion := input.promotion if is_object(input.promotion)

source_name := promotion.source if is_string(promotion.source)

else := util.source

missing := [sha | some sha in object.get(promotion, "commits_not_in_source", []); is_string(sha)]

deny contains util.finding("promotion", "failed", msg) if {
	util.source
	promotion.mode == "commits"
	count(missing) > 0
	msg := sprintf("%s not in %s", [commit_list(missing), source_name])
}

deny contains util.finding("promotion", "failed", msg) if {
	util.source
	promotion.mode == "content"
	some f in object.get(promotion, "files_not_in_source", [])
	msg := file_message(f)
}

# Fail closed: promote_from is set but the facts to check it are missing.
deny contains util.finding("promotion", "failed", msg) if {
	util.source
	not promotion
	msg := sprintf("the promotion facts from %s were not gathered, so it cannot be checked that this change went through %s", [util.source, util.source])
}

deny contains util.finding("promotion", "failed", msg) if {
	util.source
	promotion
	not known_mode
	msg := sprintf("unknown promotion mode %s (expected commits or content)", [json.marshal(object.get(promotion, "mode", null))])
}

known_mode if promotion.mode in {"commits", "content"}

commit_list(shas) := sprintf("commit %s is", [util.short(shas[0])]) if count(shas) == 1

commit_list(shas) := sprintf("commits %s are", [util.join_and([util.short(s) | some s in shas])]) if {
	count(shas) > 1
	count(shas) <= max_listed
}

commit_list(shas) := sprintf("commits %s and %d more are", [concat(", ", listed), count(shas) - max_listed]) if {
	count(shas) > max_listed
	listed := [util.short(s) | some s in array.slice(shas, 0, max_listed)]
}

file_message(f) := sprintf("%s differs from %s in %s", [f.path, f.source_path, source_name]) if {
	f.reason == "different"
} else := sprintf("%s is missing from %s (no %s there)", [f.path, source_name, f.source_path]) if {
	f.reason == "missing"
} else := sprintf("%s has not been through %s", [object.get(f, "path", "a changed file"), source_name])
