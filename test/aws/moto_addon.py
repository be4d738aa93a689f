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
from moto.s3.models import FakeBucket, s3_backends
from moto.scheduler.models import scheduler_backends
from moto.sns.exceptions import SNSException
from moto.sns.models import SNSBackend, Subscription, sns_backends
from moto.sqs.models import sqs_backends
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

PORT = {"value": 0}  # known once the socket is bound


# 1. Resource types moto's CloudFormation skips ("No Moto CloudFormation support for ..."), after which
#    Fn::GetAtt on them fails and the stack cannot be created. Each is created here from the template's own
#    properties through moto's own backend, so the test reads it back through the service's API. An update
#    replaces the resource unless an `update` says what changes in place.

class _Emulated:
    """What moto's CloudFormation keeps of a resource: its physical id (Ref), attributes (Fn::GetAtt), props."""

    def __init__(self, physical_id, attributes, props):
        self.physical_resource_id = physical_id
        self.attributes = attributes
        self.props = props

    def get_cfn_attribute(self, name):
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
        if name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.attributes[name]

    def is_created(self):
        return True

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        physical_id, attributes = cls.create(resource_name, props, account_id, region_name)
        return cls(physical_id, attributes, props)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        props = cloudformation_json["Properties"]
        if cls.update is None:
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        cls.update(original_resource, props, account_id, region_name)
        original_resource.props = props
        return original_resource

    def delete(self, account_id, region_name):
        if self.remove is not None:
            self.remove(self, account_id, region_name)


def emulated(cfn_type, name_property="", update=None, delete=None):
    """Makes `create(name, props, account, region) -> (physical id, attributes)` moto's model of `cfn_type`.
    moto lists models as the direct subclasses of CloudFormationModel, filed by their module's dotted name."""
    def register(create):
        return type(create.__name__, (_Emulated, CloudFormationModel), {
            "__doc__": create.__doc__, "__module__": "crawlguard.moto_addon",
            "cloudformation_type": staticmethod(lambda: cfn_type),
            "cloudformation_name_type": staticmethod(lambda: name_property),
            "create": staticmethod(create), "update": update and staticmethod(update),
            "remove": delete and staticmethod(delete)})
    return register


def _update_table(table, props, account, region):
    # The table keeps its items: only what an update may change in place is applied.
    if props.get("KeySchema") != table.props.get("KeySchema"):
        raise ValueError("changing a GlobalTable's KeySchema replaces it; not emulated")
    if props.get("TimeToLiveSpecification"):
        dynamodb_backends[account][region].update_time_to_live(table.physical_resource_id,
                                                               props["TimeToLiveSpecification"])


@emulated("AWS::DynamoDB::GlobalTable", "TableName", update=_update_table,
          delete=lambda table, account, region: dynamodb_backends[account][region].delete_table(
              table.physical_resource_id))
def GlobalTable(name, props, account, region):
    """CDK's TableV2 as the one replica in this region: the template's keys, billing, stream, SSE and TTL,
    and the replica's point-in-time recovery, deletion protection and tags."""
    replicas = props.get("Replicas", [])
    if [r.get("Region") for r in replicas] not in ([], [region]) or props.get("BillingMode") != "PAY_PER_REQUEST":
        raise ValueError(f"GlobalTable {name}: only an on-demand table with its one replica in {region} is emulated")
    replica = replicas[0] if replicas else {}
    backend = dynamodb_backends[account][region]
    table = backend.create_table(
        name=name, schema=props["KeySchema"], attr=props["AttributeDefinitions"], throughput=None,
        global_indexes=props.get("GlobalSecondaryIndexes", []), indexes=props.get("LocalSecondaryIndexes", []),
        streams=props.get("StreamSpecification"), billing_mode="PAY_PER_REQUEST",
        sse_specification=props.get("SSESpecification"), tags=replica.get("Tags", []),
        deletion_protection_enabled=replica.get("DeletionProtectionEnabled", False), warm_throughput=None)
    if props.get("TimeToLiveSpecification"):
        backend.update_time_to_live(name, props["TimeToLiveSpecification"])
    if replica.get("PointInTimeRecoverySpecification"):
        backend.update_continuous_backups(name, replica["PointInTimeRecoverySpecification"])
    return name, {"Arn": table.table_arn, "StreamArn": f"{table.table_arn}/stream/latest"}


def _attribute_text(value):
    """A template value as SetSubscriptionAttributes takes it: policies as JSON, booleans as true/false."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


@emulated("AWS::SNS::Subscription",
          delete=lambda sub, account, region: sns_backends[account][region].unsubscribe(sub.physical_resource_id))
def SnsSubscription(name, props, account, region):
    """Through SNS's own Subscribe, with its FilterPolicy and other attributes."""
    backend = sns_backends[account][region]
    subscription = backend.subscribe(props["TopicArn"], props["Endpoint"], props["Protocol"])
    # The scope first: moto validates the policy against it.
    for attribute in ["FilterPolicyScope", "FilterPolicy", "RawMessageDelivery", "DeliveryPolicy", "RedrivePolicy"]:
        if attribute in props:
            backend.set_subscription_attributes(subscription.arn, attribute, _attribute_text(props[attribute]))
    return subscription.arn, {}


@emulated("AWS::SNS::TopicPolicy")
def SnsTopicPolicy(name, props, account, region):
    """The policy set on each of its topics (GetTopicAttributes shows it)."""
    for topic in props["Topics"]:
        sns_backends[account][region].set_topic_attribute(topic, "policy", json.dumps(props["PolicyDocument"]))
    return name, {}


@emulated("AWS::SQS::QueuePolicy")
def SqsQueuePolicy(name, props, account, region):
    """The Policy attribute of each of its queues (given by URL)."""
    for url in props["Queues"]:
        sqs_backends[account][region].set_queue_attributes(url.rstrip("/").split("/")[-1],
                                                           {"Policy": json.dumps(props["PolicyDocument"])})
    return name, {}


@emulated("AWS::S3::BucketPolicy",
          delete=lambda policy, account, region: s3_backends[account]["aws"].delete_bucket_policy(
              policy.props["Bucket"]))
def S3BucketPolicy(name, props, account, region):
    """Through S3's own PutBucketPolicy (patch 4 says how moto evaluates it)."""
    s3_backends[account]["aws"].put_bucket_policy(props["Bucket"], json.dumps(props["PolicyDocument"]).encode())
    return name, {}


def _schedule_args(props):
    return dict(description=props.get("Description"), end_date=props.get("EndDate"),
                flexible_time_window=props["FlexibleTimeWindow"], group_name=props.get("GroupName"),
                kms_key_arn=props.get("KmsKeyArn"), schedule_expression=props["ScheduleExpression"],
                schedule_expression_timezone=props.get("ScheduleExpressionTimezone"),
                start_date=props.get("StartDate"), state=props.get("State"), target=props["Target"])


@emulated("AWS::Scheduler::Schedule", "Name",
          update=lambda schedule, props, account, region: scheduler_backends[account][region].update_schedule(
              name=schedule.physical_resource_id, **_schedule_args(props)),
          delete=lambda schedule, account, region: scheduler_backends[account][region].delete_schedule(
              schedule.props.get("GroupName"), schedule.physical_resource_id))
def SchedulerSchedule(name, props, account, region):
    """Through Scheduler's CreateSchedule (moto fires no schedule)."""
    schedule = scheduler_backends[account][region].create_schedule(name=name, action_after_completion=None,
                                                                   **_schedule_args(props))
    return name, {"Arn": schedule.arn}


@emulated("AWS::CloudWatch::Alarm", "AlarmName",
          delete=lambda alarm, account, region: cloudwatch_backends[account][region].delete_alarms(
              [alarm.physical_resource_id]))
def CloudWatchAlarm(name, props, account, region):
    """A single-metric alarm, through CloudWatch's PutMetricAlarm (moto never evaluates it)."""
    if "Metrics" in props:
        raise ValueError(f"alarm {name}: metric-math alarms are not emulated")
    alarm = cloudwatch_backends[account][region].put_metric_alarm(
        name=name, namespace=props["Namespace"], metric_name=props["MetricName"],
        comparison_operator=props["ComparisonOperator"], evaluation_periods=props["EvaluationPeriods"],
        period=props["Period"], threshold=props["Threshold"], statistic=props.get("Statistic"),
        description=props.get("AlarmDescription", ""), dimensions=props.get("Dimensions", []),
        alarm_actions=props.get("AlarmActions", []), ok_actions=props.get("OKActions", []),
        insufficient_data_actions=props.get("InsufficientDataActions", []),
        datapoints_to_alarm=props.get("DatapointsToAlarm"), unit=props.get("Unit"),
        actions_enabled=props.get("ActionsEnabled", True), treat_missing_data=props.get("TreatMissingData"))
    return name, {"Arn": alarm.alarm_arn}


def _delete_invoke_config(config, account, region):
    backend = lambda_backends[account][region]
    if config.props["FunctionName"] in [f.function_name for f in backend.list_functions()]:
        backend.delete_function_event_invoke_config(config.props["FunctionName"])


@emulated("AWS::Lambda::EventInvokeConfig", delete=_delete_invoke_config)
def LambdaEventInvokeConfig(name, props, account, region):
    """Retries and failure destination of asynchronous invocations, through PutFunctionEventInvokeConfig."""
    config = {k: props[k] for k in ["DestinationConfig", "MaximumRetryAttempts", "MaximumEventAgeInSeconds"]
              if k in props}
    backend = lambda_backends[account][region]
    backend.get_function(props["FunctionName"]).event_invoke_config = []  # moto appends; a put replaces
    backend.put_function_event_invoke_config(props["FunctionName"], config)
    return f"{props['FunctionName']}:{props.get('Qualifier', '$LATEST')}", {}


@emulated("AWS::CloudFront::OriginAccessControl",
          delete=lambda control, account, region: cloudfront_backends[account]["global"].delete_origin_access_control(
              control.physical_resource_id))
def CloudFrontOriginAccessControl(name, props, account, region):
    """Through CloudFront's CreateOriginAccessControl."""
    control = cloudfront_backends[account]["global"].create_origin_access_control(props["OriginAccessControlConfig"])
    return control.id, {"Id": control.id}


@emulated("AWS::CloudFront::Distribution",
          delete=lambda dist, account, region: cloudfront_backends[account]["global"].delete_distribution(
              dist.physical_resource_id, True))
def CloudFrontDistribution(name, props, account, region):
    """Through CloudFront's CreateDistribution, the template's lists in the API's {Quantity, Items} shape."""
    config = json.loads(json.dumps(props["DistributionConfig"]))
    config.update(CallerReference=name, Origins={"Quantity": len(config["Origins"]), "Items": config["Origins"]},
                  IsIPV6Enabled=config.get("IPV6Enabled", True))
    dist, _, _ = cloudfront_backends[account]["global"].create_distribution(config, tags=[])
    return dist.distribution_id, {"Id": dist.distribution_id, "DomainName": dist.domain_name}


@emulated("AWS::CDK::Metadata")
def CdkMetadata(name, props, account, region):
    """CDK's version report: CloudFormation accepts it and creates nothing."""
    return name, {}


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


if __name__ == "__main__":
    main()
