"""A Service held as a canary while it rolls out, a priority Job Queue and a Job on it.

Stack config drives each step, as in examples/canary:
  pulumi config set imageUri anyscale/ray:2.49.0-py311 && pulumi config set canaryPercent 25
  pulumi up                      # the new version rolls out and holds 25% of traffic
  pulumi config rm canaryPercent && pulumi up     # it takes 100%
"""

import pulumi
import pulumi_anyscale as anyscale

config = pulumi.Config()
service_name = config.get("serviceName") or "python-service"

service = anyscale.Service(
    "service",
    name=service_name,
    image_uri=config.get("imageUri") or "anyscale/ray:2.48.0-py311",
    working_dir="app",
    applications=[{"name": "hello", "import_path": "main:app", "route_prefix": "/"}],
    rollout=anyscale.ServiceRolloutArgs(canary_percent=config.get_int("canaryPercent")),
    tags=config.get_object("tags") or {"team": "ml"},
)

queue = anyscale.JobQueue(
    "queue",
    name=config.get("queueName") or "python-service-batch",
    execution_mode="PRIORITY",
    max_concurrency=1,
    idle_timeout_s=300,
)

report = anyscale.Job(
    "report",
    name=f"{service_name}-report",
    entrypoint="python main.py",
    working_dir="job",
    job_queue=anyscale.JobJobQueueArgs(
        target_job_queue_name=queue.name,
        target_job_queue_execution_mode="PRIORITY",
        priority=0,
    ),
    wait_for="succeeded",
)

pulumi.export("serviceId", service.service_id)
pulumi.export("serviceName", service.name)
pulumi.export("state", service.state)
pulumi.export("queryUrl", service.query_url)
pulumi.export("queryAuthToken", service.query_auth_token)
pulumi.export("primaryVersion", service.primary_version)
pulumi.export("canaryVersion", service.canary_version)
pulumi.export("tags", service.tags)
pulumi.export("queueId", queue.queue_id)
pulumi.export("jobId", report.job_id)
pulumi.export("jobQueueId", report.job_queue_id)
pulumi.export("jobState", report.state)
