# Shared helpers of the Stagegate built-in library: where a workload keeps its
# pod spec and containers, how to name things in messages, and how to point a
# finding at the closest node that exists. Everything here is pure and uses
# only builtins the opa-wasm SDK implements.
package stagegate.lib.util

# Library parameters (`policies.params` in .github/stagegate.yml); {} when absent.
default params := {}

params := data.stagegate.params if is_object(data.stagegate.params)

# Evaluation context (environment, file, index, documents); {} when absent.
default context := {}

context := data.stagegate.context if is_object(data.stagegate.context)

# param(path, fallback) reads a library parameter, e.g. param(["images", "require_digest"], false).
param(path, fallback) := object.get(params, path, fallback)

# environment is the name of the environment being evaluated; undefined when unknown.
environment := context.environment if is_string(context.environment)

# Kinds that keep their pod spec in spec.template.spec.
template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

# Workloads that run for ever (probes matter for them, not for Jobs).
long_running_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}

# pod_spec_path(obj) is where obj keeps its pod spec; undefined for kinds without one.
pod_spec_path(obj) := ["spec"] if obj.kind == "Pod"

pod_spec_path(obj) := ["spec", "template", "spec"] if template_kinds[obj.kind]

pod_spec_path(obj) := ["spec", "jobTemplate", "spec", "template", "spec"] if obj.kind == "CronJob"

pod_spec_path(obj) := ["spec", "template", "spec"] if is_rollout(obj)

is_rollout(obj) if {
	obj.kind == "Rollout"
	startswith(obj.apiVersion, "argoproj.io/")
}

# is_long_running(obj) holds for Deployment-like workloads (incl. Argo Rollouts).
is_long_running(obj) if long_running_kinds[obj.kind]

is_long_running(obj) if is_rollout(obj)

# pod_specs(obj) is the set of {"spec": <pod spec>, "path": <its path>} of obj
# (at most one today; a set so that callers iterate and kinds can be added).
pod_specs(obj) := {ps |
	p := pod_spec_path(obj)
	s := object.get(obj, p, null)
	is_object(s)
	ps := {"spec": s, "path": p}
}

# pod_meta_path(ps) is the path of the pod's metadata: metadata for a Pod,
# <template>.metadata for a pod template.
pod_meta_path(ps) := array.concat(array.slice(ps.path, 0, count(ps.path) - 1), ["metadata"])

container_fields := ["initContainers", "containers", "ephemeralContainers"]

# containers(obj) is the set of every container of obj's pod spec:
# {"container", "path", "field" (containers|initContainers|ephemeralContainers),
#  "index", "name", "label" (for messages, e.g. `init container "setup"`), "pod" (the pod spec entry)}.
containers(obj) := {info |
	some ps in pod_specs(obj)
	some field in container_fields
	list := ps.spec[field]
	is_array(list)
	some i, c in list
	is_object(c)
	name := container_name(c, i)
	info := {
		"container": c,
		"path": array.concat(ps.path, [field, i]),
		"field": field,
		"index": i,
		"name": name,
		"label": sprintf("%s \"%s\"", [container_word[field], name]),
		"pod": ps,
	}
}

# security_contexts(obj) is the set of every securityContext object of obj:
# the pod's and each container's, as {"sc", "path", "owner" (path of the pod
# spec or container), "label" ("pod" or the container label), "container" (bool)}.
security_contexts(obj) := pod_scs(obj) | container_scs(obj)

pod_scs(obj) := {entry |
	some ps in pod_specs(obj)
	is_object(ps.spec.securityContext)
	entry := {
		"sc": ps.spec.securityContext,
		"path": array.concat(ps.path, ["securityContext"]),
		"owner": ps.path,
		"label": "pod",
		"container": false,
	}
}

container_scs(obj) := {entry |
	some c in containers(obj)
	is_object(c.container.securityContext)
	entry := {
		"sc": c.container.securityContext,
		"path": array.concat(c.path, ["securityContext"]),
		"owner": c.path,
		"label": c.label,
		"container": true,
	}
}

container_word := {
	"containers": "container",
	"initContainers": "init container",
	"ephemeralContainers": "ephemeral container",
}

container_name(c, i) := c.name if {
	is_nonempty_string(c.name)
} else := sprintf("#%d", [i])

is_nonempty_string(x) if {
	is_string(x)
	x != ""
}

# str(x) renders any value for a message (sprintf %s needs a string in wasm).
str(x) := x if {
	is_string(x)
} else := json.marshal(x)

# resource(obj) names obj in messages: "Kind/name".
resource(obj) := sprintf("%s/%s", [kind_of(obj), name_of(obj)])

kind_of(obj) := obj.kind if {
	is_nonempty_string(obj.kind)
} else := "<no kind>"

name_of(obj) := obj.metadata.name if {
	is_nonempty_string(obj.metadata.name)
} else := concat("", [obj.metadata.generateName, "*"]) if {
	is_nonempty_string(obj.metadata.generateName)
} else := "<unnamed>"

# Sentinel that no manifest value can equal by accident.
absent := "\u0000stagegate:absent"

# has(obj, path) holds when path exists in obj (even with a null or false value).
has(obj, path) if object.get(obj, path, absent) != absent

# present(obj, path) holds when path exists in obj with a non-null value.
present(obj, path) if object.get(obj, path, null) != null

# existing_path(obj, path) is the longest prefix of path that exists in obj:
# findings about a missing field point at its closest existing parent.
existing_path(obj, path) := array.slice(path, 0, n) if {
	n := max({i | some i in numbers.range(0, count(path)); has(obj, array.slice(path, 0, i))})
}

# exact_version(v) holds for one exact semantic version ("1.2.3", "v1.2.3-rc.1+b7"),
# not for ranges or wildcards ("*", "1.x", "^1.2", ">=1.0 <2.0").
exact_version(v) if regex.match(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, v)

# finding builds the object every library rule yields.
finding(id, msg, path) := {"id": id, "msg": msg, "path": path}

# exempted(prefix) lists the rules of one library that params.exceptions
# exempt for input, as conftest exception names: "pod-security/host-path"
# with prefix "pod-security/" gives "host_path" (exempting deny_host_path).
# Exceptions live in the config on the default branch, so a pull request
# cannot exempt itself.
exempted(prefix) := [name |
	some exception in object.get(params, "exceptions", [])
	is_object(exception)
	exception_matches(exception)
	some id in object.get(exception, "rules", [])
	is_string(id)
	startswith(id, prefix)
	name := replace(trim_prefix(id, prefix), "-", "_")
]

# An exception matches when every selector it sets matches; absent selectors match anything.
exception_matches(exception) if {
	selector_matches(exception, "kinds", object.get(input, "kind", ""))
	selector_matches(exception, "names", object.get(object.get(input, "metadata", {}), "name", ""))
	selector_matches(exception, "namespaces", object.get(object.get(input, "metadata", {}), "namespace", ""))
	file_matches(exception)
}

selector_matches(exception, field, _) if not has(exception, [field])

selector_matches(exception, field, value) if {
	some wanted in exception[field]
	wanted == value
}

file_matches(exception) if not has(exception, ["files"])

file_matches(exception) if {
	some pattern in exception.files
	glob.match(pattern, ["/"], context.file)
}

# The same values for the document under evaluation, as complete rules: OPA
# evaluates a rule once per query, where a function is called again by every
# rule that needs it. Library rules use these.
input_pod_specs := pod_specs(input)

input_containers := containers(input)

input_security_contexts := security_contexts(input)

input_resource := resource(input)
