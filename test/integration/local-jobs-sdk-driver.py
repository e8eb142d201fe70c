"""Drives the local control plane through the official anyscale SDK (jobs and job queues).

Run by local-jobs-sdk.test.ts with ANYSCALE_HOST / ANYSCALE_CLI_TOKEN pointing at the plane.
Prints one line `RESULT <json>` with what the SDK observed.
"""
import json
import sys
import time

import anyscale
from anyscale.job.models import JobConfig, JobQueueConfig, JobQueueSpec


def wait_state(job_id, state, polls=600):
    # Bounded polling with a short interval (anyscale.job.wait polls every 10 s).
    for _ in range(polls):
        if str(anyscale.job.status(id=job_id).state) == state:
            return
        time.sleep(0.05)
    raise RuntimeError(f"job {job_id} never reached {state}")


out = {}
working_dir = sys.argv[1]
job_id = anyscale.job.submit(
    JobConfig(
        name="py-sdk-job",
        entrypoint="python main.py",
        working_dir=working_dir,
        env_vars={"MSG": "from-python-sdk"},
        max_retries=0,
        tags={"suite": "sdk"},
    )
)
wait_state(job_id, "SUCCEEDED")
status = anyscale.job.status(id=job_id)
out["status"] = {
    "state": str(status.state),
    "runs": [str(r.state) for r in status.runs],
    "env": status.config.env_vars,
    "entrypoint": status.config.entrypoint,
}
out["logs"] = anyscale.job.get_logs(id=job_id)
out["list"] = [j.id for j in anyscale.job.list(tags_filter={"suite": ["sdk"]}, state_filter=["SUCCEEDED"])]
out["list_tags"] = anyscale.job.list_tags(job_id=job_id)

spec = JobQueueSpec(name="py-sdk-queue", execution_mode="LIFO", max_concurrency=1, idle_timeout_s=5)
first = anyscale.job.submit(
    JobConfig(name="py-q1", entrypoint="sleep 30", max_retries=0, job_queue_config=JobQueueConfig(job_queue_spec=spec))
)
second = anyscale.job.submit(
    JobConfig(
        name="py-q2",
        entrypoint="sleep 30",
        max_retries=0,
        job_queue_config=JobQueueConfig(target_job_queue_name="py-sdk-queue", priority=4),
    )
)
queues = list(anyscale.job_queue.list(name="py-sdk-queue"))
out["queue"] = {"count": len(queues), "mode": str(queues[0].execution_mode), "total": queues[0].total_jobs, "active": queues[0].active_jobs}
queue_id = queues[0].id
updated = anyscale.job_queue.update(job_queue_id=queue_id, max_concurrency=2, idle_timeout_s=7)
out["queue_update"] = [updated.max_concurrency, updated.idle_timeout_s]
wait_state(second, "RUNNING")
anyscale.job.terminate(id=first)
wait_state(first, "TERMINATED")
anyscale.job_queue.archive(job_queue_id=queue_id)
out["queue_state_after_archive"] = str(anyscale.job_queue.status(job_queue_id=queue_id).state)
anyscale.job_queue.terminate(job_queue_id=queue_id)
wait_state(second, "TERMINATED")
anyscale.job_queue.delete(job_queue_id=queue_id)

anyscale.job.archive(id=job_id)
out["archived_hidden"] = job_id not in [j.id for j in anyscale.job.list(tags_filter={"suite": ["sdk"]})]
anyscale.job.delete(id=job_id)
try:
    anyscale.job.status(id=job_id)
    out["deleted"] = False
except Exception as e:  # noqa: BLE001
    out["deleted"] = "not found" in str(e)
print("RESULT " + json.dumps(out))
