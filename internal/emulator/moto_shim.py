"""Start moto's server with fixes for moto 5.2.1 read-back bugs that would make a clean Terraform plan impossible.

ec2stack runs this instead of `moto_server` (same arguments). Each fix makes moto return what AWS returns; none
changes what the Terraform code asks for. Every fix is guarded, so a moto without the bug runs unchanged.
"""
import sys

import moto.server


def _fix_security_group_rule_descriptions():
    # DescribeSecurityGroupRules drops the description of rules that reference another security group or a
    # prefix list: moto keeps it in source_group (or discards it with the prefix list entry), but the rule's
    # description property reads only ip_range.
    from moto.ec2.models.security_groups import SecurityGroupRule

    original_init = SecurityGroupRule.__init__
    original_description = SecurityGroupRule.description

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id") if "prefix_list_id" in kwargs else (args[7] if len(args) > 7 else None)
        self._prefix_list_description = (prefix_list or {}).get("Description")

    def description(self):
        return (
            original_description.fget(self)
            or (self.source_group or {}).get("Description")
            or getattr(self, "_prefix_list_description", None)
        )

    SecurityGroupRule.__init__ = __init__
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


def _fix_backup_list_tags_path():
    # ListTags (GET /tags/{arn}) reads the ARN as the second-to-last path segment, expecting a trailing slash the
    # SDKs do not send, so it answers {}: backup vault and plan tags never read back.
    import json
    from urllib.parse import unquote

    from moto.backup.responses import BackupResponse

    def list_tags(self):
        resource_arn = unquote(self.path.split("?")[0].split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=resource_arn)})

    BackupResponse.list_tags = list_tags


def _fix_backup_recovery_points_listing():
    # ListRecoveryPointsByBackupVault (GET /backup-vaults/{name}/recovery-points/) is not routed: moto answers 404
    # with an HTML page, so destroying a vault with force_destroy (which lists its recovery points first) fails.
    # moto never runs a backup job, so a vault of it holds no recovery points: answer as AWS does for an empty
    # vault, and ResourceNotFoundException for a vault that does not exist.
    import json

    from moto.backup import urls
    from moto.backup.responses import BackupResponse

    def list_recovery_points_by_backup_vault(self):
        name = self.path.split("?")[0].rstrip("/").split("/")[-2]
        self.backup_backend.describe_backup_vault(name)  # raises ResourceNotFoundException
        return json.dumps({"RecoveryPoints": []})

    BackupResponse.list_recovery_points_by_backup_vault = list_recovery_points_by_backup_vault
    urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$"] = BackupResponse.dispatch


def _fix_cloudfront_read_back():
    # Distributions: moto invents ForwardedValues (query string off, no cookies) for every cache behaviour, where AWS
    # returns none next to a cache policy (and refuses them together); it defaults CloudFrontDefaultCertificate to
    # true and SSLSupportMethod to sni-only even next to an ACM certificate (AWS: false) or for the default
    # certificate (AWS: no SSLSupportMethod).
    from moto.cloudfront.models import DefaultCacheBehaviour, ViewerCertificate

    original_behaviour = DefaultCacheBehaviour.__init__
    original_certificate = ViewerCertificate.__init__

    def behaviour(self, config, *args, **kwargs):
        original_behaviour(self, config, *args, **kwargs)
        if not config.get("ForwardedValues") and config.get("CachePolicyId"):
            self.forwarded_values = None

    def certificate(self, config, *args, **kwargs):
        original_certificate(self, config, *args, **kwargs)
        custom = bool(config.get("ACMCertificateArn") or config.get("IAMCertificateId"))
        if "CloudFrontDefaultCertificate" not in config:
            self.cloud_front_default_certificate = not custom
        if not config.get("SSLSupportMethod") and not custom:
            self.ssl_support_method = None

    DefaultCacheBehaviour.__init__ = behaviour  # CacheBehaviour calls it through super()
    ViewerCertificate.__init__ = certificate


def _fix_rds_resource_ids():
    # Every DB instance gets the same DbiResourceId (db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U); AWS gives each its own, and
    # the provider reads an instance back by it: with two instances in one moto it finds none.
    import base64
    import hashlib

    from moto.rds.models import DBInstance

    original = DBInstance.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        name = f"{getattr(self, 'account_id', '')}/{getattr(self, 'region_name', '')}/{self.db_instance_identifier}"
        self.dbi_resource_id = "db-" + base64.b32encode(hashlib.sha256(name.encode()).digest()).decode()[:26]

    DBInstance.__init__ = __init__


def _fix_nat_gateway_tag_filters():
    # DescribeNatGateways ignores tag:KEY and tag-key filters and answers every NAT gateway of the region; AWS
    # applies them (ec2stack lists an environment's leftovers by its tags).
    from moto.ec2.models.nat_gateways import NatGatewayBackend

    original = NatGatewayBackend.describe_nat_gateways

    def describe_nat_gateways(self, filters, nat_gateway_ids):
        gateways = original(self, filters, nat_gateway_ids)
        for name, values in (filters or {}).items():
            if name.startswith("tag:"):
                gateways = [g for g in gateways if self.tags.get(g.id, {}).get(name[4:]) in values]
            elif name == "tag-key":
                gateways = [g for g in gateways if set(self.tags.get(g.id, {})) & set(values)]
        return gateways

    NatGatewayBackend.describe_nat_gateways = describe_nat_gateways


def _fix_backup_plan_names_after_delete():
    # CreateBackupPlan refuses a name that any plan ever had, deleted plans included (moto keeps them, with a
    # deletion date); AWS refuses only the names of plans that still exist, so a stack destroyed and applied
    # again (a DR drill run twice) cannot create its plan.
    from moto.backup.exceptions import AlreadyExistsException
    from moto.backup.models import BackupBackend, Plan

    def create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
        name = backup_plan["BackupPlanName"]
        if any(p.backup_plan["BackupPlanName"] == name and not p.deletion_date for p in self.plans.values()):
            raise AlreadyExistsException(msg="Backup plan with the same plan document already exists")
        plan = Plan(backup_plan=backup_plan, creator_request_id=creator_request_id, backend=self)
        if backup_plan_tags:
            self.tag_resource(plan.backup_plan_arn, backup_plan_tags)
        self.plans[plan.backup_plan_id] = plan
        return plan

    BackupBackend.create_backup_plan = create_backup_plan


FIXES = (
    _fix_security_group_rule_descriptions,
    _fix_launch_template_tag_echo,
    _fix_scaling_policy_read_back,
    _fix_load_balancer_default_scheme,
    _fix_backup_list_tags_path,
    _fix_backup_recovery_points_listing,
    _fix_cloudfront_read_back,
    _fix_rds_resource_ids,
    _fix_nat_gateway_tag_filters,
    _fix_backup_plan_names_after_delete,
)

APPLIED = []
for fix in FIXES:
    try:
        fix()
        APPLIED.append(fix.__name__)
    except Exception as err:  # a moto without the bug, or with different internals: run it unpatched
        print(f"ec2stack moto shim: {fix.__name__} not applied: {err}", file=sys.stderr)


def _serve_shim_info():
    # GET /moto-api/ec2stack tells ec2stack's preflight that this moto runs the shim, which fixes it applied, and
    # the settings the stack depends on (moto itself exposes neither).
    import json

    from moto import settings
    from moto.moto_api._internal import urls

    def info(request, full_url, headers):
        body = {
            "shim": "ec2stack",
            "fixes": APPLIED,
            "acm_validation_wait_seconds": settings.ACM_VALIDATION_WAIT,
            "iam_managed_policies": settings.load_iam_aws_managed_policies(),
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    urls.url_paths["{0}/moto-api/ec2stack$"] = info


try:
    _serve_shim_info()
except Exception as err:
    print(f"ec2stack moto shim: no /moto-api/ec2stack: {err}", file=sys.stderr)

if __name__ == "__main__":
    moto.server.main(sys.argv[1:])
