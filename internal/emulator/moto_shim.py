"""Start moto's server with fixes for moto 5.2.1 read-back bugs that would make a clean Terraform plan impossible.

ec2stack runs this instead of `moto_server` (same arguments). Each fix makes moto return what AWS returns; none
changes what the Terraform code asks for. Every fix is guarded, so a moto without the bug runs unchanged.
"""
import sys

import moto.server


def _fix_security_group_rule_descriptions():
    # DescribeSecurityGroupRules drops the description of rules that reference another security group:
    # moto keeps it in source_group, but the rule's description property reads only ip_range.
    from moto.ec2.models.security_groups import SecurityGroupRule

    original = SecurityGroupRule.description

    def description(self):
        return original.fget(self) or (self.source_group or {}).get("Description")

    SecurityGroupRule.description = property(description)


def _fix_launch_template_tag_echo():
    # CreateLaunchTemplate copies the template's own tags (resource type launch-template) into version 1's
    # LaunchTemplateData.TagSpecifications; AWS keeps them on the template only.
    from moto.ec2.models.launch_templates import LaunchTemplate

    original = LaunchTemplate.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        first = self.versions[0].data
        specs = [s for s in first.get("TagSpecifications", []) if s.get("ResourceType") != "launch-template"]
        if specs:
            first["TagSpecifications"] = specs
        else:
            first.pop("TagSpecifications", None)

    LaunchTemplate.__init__ = __init__


def _fix_scaling_policy_read_back():
    # DescribePolicies never returns Enabled (AWS: true unless disabled) and returns an empty
    # PredictiveScalingConfiguration for every policy type.
    from moto.autoscaling.models import FakeScalingPolicy

    original = FakeScalingPolicy.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.enabled = True
        if not self.predictive_scaling_configuration:
            self.predictive_scaling_configuration = None

    FakeScalingPolicy.__init__ = __init__


def _fix_load_balancer_default_scheme():
    # CreateLoadBalancer without Scheme stores None; AWS defaults to internet-facing.
    from moto.elbv2.models import FakeLoadBalancer

    original = FakeLoadBalancer.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not self.scheme:
            self.scheme = "internet-facing"

    FakeLoadBalancer.__init__ = __init__


FIXES = (
    _fix_security_group_rule_descriptions,
    _fix_launch_template_tag_echo,
    _fix_scaling_policy_read_back,
    _fix_load_balancer_default_scheme,
)

for fix in FIXES:
    try:
        fix()
    except Exception as err:  # a moto without the bug, or with different internals: run it unpatched
        print(f"ec2stack moto shim: {fix.__name__} not applied: {err}", file=sys.stderr)

if __name__ == "__main__":
    moto.server.main(sys.argv[1:])
