# IAM helpers for the iam_* rules.
package ec2stack.lib.iam

import data.ec2stack.lib

# as_list(x) is x as an array (IAM policy fields take a string or a list).
as_list(x) := x if is_array(x)

else := [x] if x != null

else := []

# statements(doc) is every statement of a policy document given as a JSON string.
statements(doc) := as_list(object.get(json.unmarshal(doc), "Statement", [])) if {
	is_string(doc)
	json.is_valid(doc)
}

# service_principals(s) is every service principal of a statement.
service_principals(s) := as_list(object.get(object.get(s, "Principal", {}), "Service", null)) if is_object(object.get(s, "Principal", {}))

# instance_roles is every role that EC2 can assume.
instance_roles contains r if {
	some r in lib.resources("aws_iam_role")
	some s in statements(object.get(r.values, "assume_role_policy", null))
	"ec2.amazonaws.com" in service_principals(s)
}
