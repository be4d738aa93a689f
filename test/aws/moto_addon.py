"""
moto_server with crawlguard's add-on, for the emulated deploy (test/aws). Test code, not product code.

    python3 test/aws/moto_addon.py      # prints {"port": N} once it listens on 127.0.0.1:N

moto 5.2.1 runs `cdk bootstrap` and `cdk deploy` of the crawlguard stack only with the patches below. Each
says which moto behaviour it works around and why the workaround keeps the emulator honest. Nothing here
decides what crawlguard does: resources are created from the template's own properties, through moto's
own backends, and read back by the test through moto's own APIs.

The add-on also serves a few test endpoints under /_crawlguard/ (the same port as moto):
  GET    /_crawlguard/deliveries            what moto would have delivered to email and sms subscribers
  GET    /_crawlguard/lambda-code/ACCOUNT/REGION/NAME   a function's deployment package (Code.Location)
  PUT    /_crawlguard/publish-fault         {"topicArn", "code", "message"}: Publish to that topic fails
  DELETE /_crawlguard/publish-fault         Publish works again
"""
import json
import os
import sys
import threading

try:
    import flask  # noqa: F401  (moto_server needs it)
    import moto  # noqa: F401
except ImportError as missing:
    sys.stderr.write(
        f"the emulated AWS needs Python 3 with moto 5 and flask ({missing}). This machine image ships them; "
        "elsewhere: python3 -m pip install 'moto[server]==5.2.1'\n")
    sys.exit(3)

from moto.cloudformation import parsing
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudfront.models import cloudfront_backends
from moto.cloudwatch.models import cloudwatch_backends
from moto.core.common_models import CloudFormationModel
from moto.dynamodb.models import dynamodb_backends
from moto.kms.models import Key
from moto.awslambda.models import LambdaFunction, lambda_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.s3.models import FakeBucket
from moto.scheduler.models import scheduler_backends
from moto.sns.exceptions import SNSException
from moto.sns.models import SNSBackend, Subscription, sns_backends
from moto.sqs.models import sqs_backends
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

PORT = {"value": 0}  # known once the socket is bound
# moto files every model class under the second part of its module's dotted name (InstanceTrackerMeta).
_RUN_AS = __name__
__name__ = "crawlguard.moto_addon"


# 1. Resource types moto's CloudFormation skips ("No Moto CloudFormation support for ..."), after which
#    Fn::GetAtt on them fails and the stack cannot be created. Each is created here from the template's own
#    properties through moto's own backend, so the test reads it back through the service's API.
#    moto lists models as the direct subclasses of CloudFormationModel, hence the mixin order.

class _Resource:
    """Common shape: a physical id (what Ref gives), attributes (what Fn::GetAtt gives), no async state."""

    def __init__(self, physical_id, attributes=None, props=None):
        self.physical_resource_id = physical_id
        self.attributes = attributes or {}
        self.props = props or {}

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    def get_cfn_attribute(self, name):
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
        if name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.attributes[name]

    def is_created(self):
        return True

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id, region_name):
        pass


class GlobalTable(_Resource, CloudFormationModel):
    """AWS::DynamoDB::GlobalTable (CDK's TableV2) as the one replica in this region: a table with the template's
    keys, billing, stream, SSE, TTL and the replica's PITR, deletion protection and tags."""

    @staticmethod
    def cloudformation_type():
        return "AWS::DynamoDB::GlobalTable"

    @staticmethod
    def cloudformation_name_type():
        return "TableName"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        replicas = [r for r in props.get("Replicas", []) if r.get("Region") == region_name]
        if len(replicas) != len(props.get("Replicas", [])):
            raise ValueError(f"GlobalTable {resource_name}: only a replica in {region_name} is emulated")
        replica = replicas[0] if replicas else {}
        backend = dynamodb_backends[account_id][region_name]
        if props.get("BillingMode") != "PAY_PER_REQUEST":
            raise ValueError(f"GlobalTable {resource_name}: only on-demand billing is emulated")
        table = backend.create_table(
            name=resource_name, schema=props["KeySchema"], attr=props["AttributeDefinitions"],
            throughput=None,
            global_indexes=props.get("GlobalSecondaryIndexes", []), indexes=props.get("LocalSecondaryIndexes", []),
            streams=props.get("StreamSpecification"), billing_mode="PAY_PER_REQUEST",
            sse_specification=props.get("SSESpecification"), tags=replica.get("Tags", []),
            deletion_protection_enabled=replica.get("DeletionProtectionEnabled", False), warm_throughput=None)
        if props.get("TimeToLiveSpecification"):
            backend.update_time_to_live(resource_name, props["TimeToLiveSpecification"])
        if replica.get("PointInTimeRecoverySpecification"):
            backend.update_continuous_backups(resource_name, replica["PointInTimeRecoverySpecification"])
        return cls(resource_name, {"Arn": table.table_arn, "StreamArn": table.table_arn + "/stream/latest"}, props)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        # The table keeps its items: only what an update may change in place is applied.
        props = cloudformation_json["Properties"]
        if props.get("KeySchema") != original_resource.props.get("KeySchema"):
            raise ValueError("changing a GlobalTable's KeySchema replaces it; not emulated")
        if props.get("TimeToLiveSpecification"):
            dynamodb_backends[account_id][region_name].update_time_to_live(
                original_resource.physical_resource_id, props["TimeToLiveSpecification"])
        original_resource.props = props
        return original_resource

    def delete(self, account_id, region_name):
        dynamodb_backends[account_id][region_name].delete_table(self.physical_resource_id)


def _attribute_text(value):
    """A template value as SetSubscriptionAttributes takes it: policies as JSON, booleans as true/false."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


class SnsSubscription(_Resource, CloudFormationModel):
    """AWS::SNS::Subscription with its FilterPolicy and other attributes, through SNS's own Subscribe."""

    @staticmethod
    def cloudformation_type():
        return "AWS::SNS::Subscription"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = sns_backends[account_id][region_name]
        subscription = backend.subscribe(props["TopicArn"], props["Endpoint"], props["Protocol"])
        # The scope first: moto validates the policy against it.
        for name in ["FilterPolicyScope", "FilterPolicy", "RawMessageDelivery", "DeliveryPolicy", "RedrivePolicy"]:
            if name in props:
                backend.set_subscription_attributes(subscription.arn, name, _attribute_text(props[name]))
        return cls(subscription.arn, {}, props)

    def delete(self, account_id, region_name):
        sns_backends[account_id][region_name].unsubscribe(self.physical_resource_id)


class SnsTopicPolicy(_Resource, CloudFormationModel):
    """AWS::SNS::TopicPolicy: the policy set on each of its topics (readable with GetTopicAttributes)."""

    @staticmethod
    def cloudformation_type():
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        for topic in props["Topics"]:
            backend = sns_backends[account_id][region_name]
            backend.set_topic_attribute(topic, "policy", json.dumps(props["PolicyDocument"]))
        return cls(resource_name, {}, props)


class SqsQueuePolicy(_Resource, CloudFormationModel):
    """AWS::SQS::QueuePolicy: the Policy attribute of each of its queues (Queues are queue URLs)."""

    @staticmethod
    def cloudformation_type():
        return "AWS::SQS::QueuePolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        for url in props["Queues"]:
            sqs_backends[account_id][region_name].set_queue_attributes(
                url.rstrip("/").split("/")[-1], {"Policy": json.dumps(props["PolicyDocument"])})
        return cls(resource_name, {}, props)


class S3BucketPolicy(_Resource, CloudFormationModel):
    """AWS::S3::BucketPolicy, through S3's own PutBucketPolicy (see patch 4 for how moto evaluates it)."""

    @staticmethod
    def cloudformation_type():
        return "AWS::S3::BucketPolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.s3.models import s3_backends
        props = cloudformation_json["Properties"]
        s3_backends[account_id]["aws"].put_bucket_policy(props["Bucket"], json.dumps(props["PolicyDocument"]).encode())
        return cls(resource_name, {}, props)

    def delete(self, account_id, region_name):
        from moto.s3.models import s3_backends
        s3_backends[account_id]["aws"].delete_bucket_policy(self.props["Bucket"])


class SchedulerSchedule(_Resource, CloudFormationModel):
    """AWS::Scheduler::Schedule, through Scheduler's CreateSchedule/UpdateSchedule (moto fires none of them)."""

    @staticmethod
    def cloudformation_type():
        return "AWS::Scheduler::Schedule"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @staticmethod
    def _args(props):
        return dict(description=props.get("Description"), end_date=props.get("EndDate"),
                    flexible_time_window=props["FlexibleTimeWindow"], group_name=props.get("GroupName"),
                    kms_key_arn=props.get("KmsKeyArn"), schedule_expression=props["ScheduleExpression"],
                    schedule_expression_timezone=props.get("ScheduleExpressionTimezone"),
                    start_date=props.get("StartDate"), state=props.get("State"), target=props["Target"])

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        schedule = scheduler_backends[account_id][region_name].create_schedule(
            name=resource_name, action_after_completion=None, **cls._args(props))
        return cls(resource_name, {"Arn": schedule.arn}, props)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        props = cloudformation_json["Properties"]
        scheduler_backends[account_id][region_name].update_schedule(
            name=original_resource.physical_resource_id, **cls._args(props))
        original_resource.props = props
        return original_resource

    def delete(self, account_id, region_name):
        scheduler_backends[account_id][region_name].delete_schedule(self.props.get("GroupName"),
                                                                    self.physical_resource_id)


class CloudWatchAlarm(_Resource, CloudFormationModel):
    """AWS::CloudWatch::Alarm (single-metric), through CloudWatch's PutMetricAlarm. moto never evaluates it."""

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type():
        return "AlarmName"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        if "Metrics" in props:
            raise ValueError(f"alarm {resource_name}: metric-math alarms are not emulated")
        alarm = cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=resource_name, namespace=props["Namespace"], metric_name=props["MetricName"],
            comparison_operator=props["ComparisonOperator"], evaluation_periods=props["EvaluationPeriods"],
            period=props["Period"], threshold=props["Threshold"], statistic=props.get("Statistic"),
            description=props.get("AlarmDescription", ""), dimensions=props.get("Dimensions", []),
            alarm_actions=props.get("AlarmActions", []), ok_actions=props.get("OKActions", []),
            insufficient_data_actions=props.get("InsufficientDataActions", []),
            datapoints_to_alarm=props.get("DatapointsToAlarm"), unit=props.get("Unit"),
            actions_enabled=props.get("ActionsEnabled", True), treat_missing_data=props.get("TreatMissingData"))
        return cls(resource_name, {"Arn": alarm.alarm_arn}, props)

    def delete(self, account_id, region_name):
        cloudwatch_backends[account_id][region_name].delete_alarms([self.physical_resource_id])


class LambdaEventInvokeConfig(_Resource, CloudFormationModel):
    """AWS::Lambda::EventInvokeConfig (retries and failure destination of async invocations)."""

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::EventInvokeConfig"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        config = {k: props[k] for k in ["DestinationConfig", "MaximumRetryAttempts", "MaximumEventAgeInSeconds"]
                  if k in props}
        backend = lambda_backends[account_id][region_name]
        backend.get_function(props["FunctionName"]).event_invoke_config = []
        backend.put_function_event_invoke_config(props["FunctionName"], config)
        return cls(f"{props['FunctionName']}:{props.get('Qualifier', '$LATEST')}", {}, props)

    def delete(self, account_id, region_name):
        try:
            lambda_backends[account_id][region_name].delete_function_event_invoke_config(self.props["FunctionName"])
        except Exception:  # the function went first
            pass


class CloudFrontOriginAccessControl(_Resource, CloudFormationModel):
    """AWS::CloudFront::OriginAccessControl, through CloudFront's CreateOriginAccessControl."""

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudFront::OriginAccessControl"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        config = cloudformation_json["Properties"]["OriginAccessControlConfig"]
        control = cloudfront_backends[account_id]["global"].create_origin_access_control(config)
        return cls(control.id, {"Id": control.id}, config)

    def delete(self, account_id, region_name):
        cloudfront_backends[account_id]["global"].delete_origin_access_control(self.physical_resource_id)


class CloudFrontDistribution(_Resource, CloudFormationModel):
    """AWS::CloudFront::Distribution, through CloudFront's CreateDistribution (lists in the API's shape)."""

    @staticmethod
    def cloudformation_type():
        return "AWS::CloudFront::Distribution"

    @staticmethod
    def _api_config(config, caller_reference):
        items = lambda values: {"Quantity": len(values), "Items": values}  # noqa: E731
        return {**config, "CallerReference": caller_reference, "Origins": items(config["Origins"]),
                "IsIPV6Enabled": config.get("IPV6Enabled", True)}

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        config = cloudformation_json["Properties"]["DistributionConfig"]
        dist, _, _ = cloudfront_backends[account_id]["global"].create_distribution(
            cls._api_config(json.loads(json.dumps(config)), resource_name), tags=[])
        return cls(dist.distribution_id, {"Id": dist.distribution_id, "DomainName": dist.domain_name}, config)

    def delete(self, account_id, region_name):
        cloudfront_backends[account_id]["global"].delete_distribution(self.physical_resource_id, True)


class CdkMetadata(_Resource, CloudFormationModel):
    """AWS::CDK::Metadata (CDK's version reporting): CloudFormation accepts it and creates nothing."""

    @staticmethod
    def cloudformation_type():
        return "AWS::CDK::Metadata"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(resource_name)


# 2. A KMS key made by CloudFormation keeps its KeyPolicy as a dict where moto expects JSON text; DescribeKey
#    then answers 500 (TypeError in the policy check). The template's policy is stored as the JSON it is.
_create_key = Key.create_from_cloudformation_json.__func__


def _create_key_with_json_policy(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    props = cloudformation_json["Properties"]
    if isinstance(props.get("KeyPolicy"), dict):
        props["KeyPolicy"] = json.dumps(props["KeyPolicy"])
    return _create_key(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


Key.create_from_cloudformation_json = classmethod(_create_key_with_json_policy)


# 3. On UpdateStack, CDK passes BootstrapVersion with UsePreviousValue. moto looks the previous value up among
#    the parameters passed at creation only, and CDK passed none (the parameter took its Default): KeyError.
#    CloudFormation's previous value of a parameter not passed is the one it took, its Default.
def _resolve_update_parameters(self, instance, incoming_params):
    template = getattr(instance, "template_dict", {}) or {}
    defaults = {k: v.get("Default") for k, v in (template.get("Parameters") or {}).items()}
    previous = {**defaults, **(instance.parameters or {})}
    resolved = {p["ParameterKey"]: p["ParameterValue"] for p in incoming_params if "ParameterValue" in p}
    resolved.update({p["ParameterKey"]: previous[p["ParameterKey"]]
                     for p in incoming_params if p.get("UsePreviousValue", False)})
    return resolved


CloudFormationBackend._resolve_update_parameters = _resolve_update_parameters


# 4. moto evaluates a bucket policy with its Conditions left out, so the "Deny unless aws:SecureTransport"
#    statements of the CDK bootstrap bucket and of the report bucket deny every request (asset uploads 403).
#    A statement whose condition moto cannot evaluate is left out instead. In AWS every SDK request is TLS, so
#    those Deny statements do not apply to them either; the Allow-with-condition (CloudFront's origin access
#    control) has no caller here.
def _get_permission(self, action, resource):
    from moto.iam.access_control import IAMPolicy, PermissionResult
    if self.policy is None:
        return PermissionResult.NEUTRAL
    policy = json.loads(self.policy.decode())
    statements = policy.get("Statement", [])
    policy["Statement"] = [s for s in (statements if isinstance(statements, list) else [statements])
                           if "Condition" not in s]
    return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)


FakeBucket.get_permission = _get_permission


# 5. GetFunction's Code.Location points at a moto bucket that does not exist; AWS answers a URL from which the
#    deployment package downloads. The add-on serves the package moto stored, byte for byte.
_get_code = LambdaFunction.get_code


def _get_code_with_location(self):
    response = _get_code(self)
    if "Code" in response and response["Code"].get("RepositoryType") == "S3":
        response["Code"]["Location"] = (f"http://localhost:{PORT['value']}/_crawlguard/lambda-code/"
                                        f"{self.account_id}/{self.region}/{self.function_name}")
    return response


LambdaFunction.get_code = _get_code_with_location


# 6. moto drops messages to email and sms subscribers silently. The add-on records what it would deliver to
#    each: after moto's own filter-policy evaluation and its own per-protocol choice of the message body, so
#    moto's filter semantics (including `{"exists": false}` matching nothing) are what the test sees.
DELIVERIES = []
_lock = threading.Lock()
_publish_to_subscription = Subscription.publish


def _record_delivery(self, message, message_id, subject=None, message_attributes=None, group_id=None,
                     deduplication_id=None, message_structure=None):
    _publish_to_subscription(self, message, message_id, subject, message_attributes, group_id,
                             deduplication_id, message_structure)
    if self.protocol not in ("email", "email-json", "sms"):
        return
    if self._filter_policy_matcher is not None and not self._filter_policy_matcher.matches(message_attributes,
                                                                                           message):
        return
    body = self._parse_message_structure(message, self.protocol) if message_structure == "json" else message
    with _lock:
        DELIVERIES.append({"topicArn": self.topic_arn, "subscriptionArn": self.arn, "protocol": self.protocol,
                           "endpoint": self.endpoint, "messageId": message_id, "message": body,
                           "subject": subject if self.protocol != "sms" else None,
                           "messageAttributes": message_attributes or {}})


Subscription.publish = _record_delivery


# 7. A fault switch, not a moto bug: moto enforces no IAM, so "this role may not publish to that topic" cannot
#    be set up for real. While set, Publish to the topic answers what SNS answers then (AuthorizationError).
PUBLISH_FAULT = {}
_publish = SNSBackend.publish


class _PublishFault(SNSException):
    pass


def _publish_unless_faulted(self, message, arn, *args, **kwargs):
    fault = PUBLISH_FAULT.get(arn)
    if fault:
        raise _PublishFault(fault["code"], fault.get("message", "refused by the test's publish fault"))
    return _publish(self, message, arn, *args, **kwargs)


SNSBackend.publish = _publish_unless_faulted


def _test_endpoints(request):
    path = request.path.split("/")[2:]
    if path == ["deliveries"] and request.method == "GET":
        with _lock:
            return Response(json.dumps(DELIVERIES), mimetype="application/json")
    if path[:1] == ["lambda-code"] and len(path) == 4 and request.method == "GET":
        account, region, name = path[1:]
        return Response(lambda_backends[account][region].get_function(name).code_bytes,
                        mimetype="application/zip")
    if path == ["publish-fault"] and request.method == "PUT":
        fault = json.loads(request.get_data())
        PUBLISH_FAULT.clear()
        PUBLISH_FAULT[fault["topicArn"]] = fault
        return Response(status=204)
    if path == ["publish-fault"] and request.method == "DELETE":
        PUBLISH_FAULT.clear()
        return Response(status=204)
    return Response(f"no such test endpoint: {request.method} {request.path}\n", status=404)


def application():
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_crawlguard/"):
            return _test_endpoints(Request(environ))(environ, start_response)
        return moto_app(environ, start_response)
    return app


def main():
    # Loopback only; port 0 lets the OS pick a free one, printed for the caller.
    server = make_server("127.0.0.1", 0, application(), threaded=True)
    PORT["value"] = server.server_port
    os.environ["MOTO_PORT"] = str(server.server_port)  # moto builds SQS queue URLs from it
    parsing.get_model_map.cache_clear()
    parsing.get_model_list.cache_clear()
    parsing.get_name_type_map.cache_clear()
    print(json.dumps({"port": server.server_port}), flush=True)
    server.serve_forever()


if _RUN_AS == "__main__":
    main()
