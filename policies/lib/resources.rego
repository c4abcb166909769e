# Resource requests and limits: the scheduler needs requests to place pods,
# and a memory limit keeps one container from starving its node.
# Applies to containers and init containers (ephemeral containers take none).
#
# A limit without a request counts as a request: Kubernetes copies it.
#
# Parameters (data.stagegate.params.resources):
#   require_cpu_limits  bool, default false: also require limits.cpu
package stagegate.lib.resources

import data.stagegate.lib.util

examples := {"cpu": "100m", "memory": "128Mi"}

deny_requests contains util.finding("resources/requests", msg, path) if {
	some c in util.input_containers
	c.field != "ephemeralContainers"
	some resource in ["cpu", "memory"]
	not util.present(c.container, ["resources", "requests", resource])
	not util.present(c.container, ["resources", "limits", resource])
	path := util.existing_path(input, array.concat(c.path, ["resources", "requests", resource]))
	msg := sprintf(
		"%s: %s has no %s request; set resources.requests.%s (e.g. %s)",
		[util.input_resource, c.label, resource, resource, examples[resource]],
	)
}

deny_limits contains util.finding("resources/limits", msg, path) if {
	some c in util.input_containers
	c.field != "ephemeralContainers"
	some resource in required_limits
	not util.present(c.container, ["resources", "limits", resource])
	path := util.existing_path(input, array.concat(c.path, ["resources", "limits", resource]))
	msg := sprintf(
		"%s: %s has no %s limit; set resources.limits.%s (e.g. %s)",
		[util.input_resource, c.label, resource, resource, examples[resource]],
	)
}

default required_limits := {"memory"}

required_limits := {"memory", "cpu"} if util.param(["resources", "require_cpu_limits"], false) == true

# Exemptions configured in params.exceptions (see policies/README.md).
exception contains rules if {
	rules := util.exempted("resources/")
	count(rules) > 0
}
