import { parseArguments } from "../../provider/functions/parse-arguments";
import { listServicesArgsSchema } from "../../provider/functions/service-arguments";
import { listServicesQuery } from "../../provider/functions/service-queries";
import { listJobsArgsSchema } from "../../provider/functions/job-arguments";
import { backendJobStates, listJobsQuery } from "../../provider/functions/job-queries";
import { searchRunsBody as searchJobRunsBody } from "../../provider/anyscale/jobs";
import { listJobQueuesArgsSchema } from "../../provider/functions/job-queue-arguments";
import { searchJobQueuesBody } from "../../provider/functions/job-queue-queries";
import { matchesTagFilter, tagFilterToBody, tagFilterToQueryValues } from "../../provider/functions/tag-filter";
import { getTagsQuery } from "../../provider/functions/tag-arguments";

describe("tag filters", () => {
  const filter = { team: ["mlops", "infra"], env: ["prod"] };

  test("GET lists repeat tag_filter=key:value, one per accepted value", () => {
    expect(tagFilterToQueryValues(filter)).toEqual(["team:mlops", "team:infra", "env:prod"]);
    expect(tagFilterToQueryValues(undefined)).toEqual([]);
  });

  test("the queue search takes the key -> values map", () => {
    expect(tagFilterToBody(filter)).toEqual(filter);
    expect(tagFilterToBody({})).toBeUndefined();
  });

  test("OR within a key, AND across keys", () => {
    expect(matchesTagFilter({ team: "infra", env: "prod" }, filter)).toBe(true);
    expect(matchesTagFilter({ team: "infra", env: "dev" }, filter)).toBe(false);
    expect(matchesTagFilter({ team: "infra" }, filter)).toBe(false);
    expect(matchesTagFilter({ team: "web", env: "prod" }, filter)).toBe(false);
  });
});

describe("listServices query", () => {
  test("every filter maps to the SDK's parameter", () => {
    const args = parseArguments("f", listServicesArgsSchema, {
      name: "api",
      states: ["running", "UNHEALTHY"],
      tags: { team: ["a", "b"], env: "prod" },
      includeArchived: true,
      sort: "-name",
      pageSize: 3,
    });
    const query = listServicesQuery(args, { cloudId: "cld_1", projectId: "prj_1", creatorId: "usr_1" }, "tok2");
    expect(query).toEqual({
      project_id: "prj_1",
      cloud_id: "cld_1",
      name: "api",
      state_filter: ["RUNNING", "UNHEALTHY"],
      creator_id: "usr_1",
      archive_status: "ALL",
      tag_filter: ["team:a", "team:b", "env:prod"],
      sort_field: "NAME",
      sort_order: "DESC",
      count: "3",
      paging_token: "tok2",
    });
  });

  test("defaults: not archived, pages of 50, nothing else", () => {
    expect(listServicesQuery({}, {})).toEqual({ archive_status: "NOT_ARCHIVED", count: "50" });
  });
});

describe("listJobs query", () => {
  test("user-facing states expand to the backend states", () => {
    expect(backendJobStates(["STARTING", "FAILED"])).toEqual(["PENDING", "AWAITING_CLUSTER_START", "BROKEN", "OUT_OF_RETRIES"]);
  });

  test("every filter maps to the SDK's parameter", () => {
    const args = parseArguments("f", listJobsArgsSchema, {
      name: "nightly",
      states: ["succeeded"],
      tags: { team: "ml" },
      sortField: "created_at",
      sortOrder: "desc",
      createdAtFrom: "2026-01-01T00:00:00Z",
      createdAtTo: "2026-01-31T00:00:00Z",
      updatedAtFrom: "2026-01-02T00:00:00Z",
      updatedAtTo: "2026-01-03T00:00:00Z",
      statusUpdatedAtFrom: "2026-01-04T00:00:00Z",
      statusUpdatedAtTo: "2026-01-05T00:00:00Z",
      includeArchived: true,
      pageSize: 2,
    });
    expect(listJobsQuery(args, { projectId: "prj_1", cloudId: "cld_1", creatorId: "usr_1" }, "t1")).toEqual({
      project_id: "prj_1",
      cloud_id: "cld_1",
      name: "nightly",
      creator_id: "usr_1",
      type_filter: "BATCH_JOB",
      archive_status: "ALL",
      state_filter: ["SUCCESS"],
      tag_filter: ["team:ml"],
      sort_field: "CREATED_AT",
      sort_order: "DESC",
      created_at_from: "2026-01-01T00:00:00.000Z",
      created_at_to: "2026-01-31T00:00:00.000Z",
      updated_at_from: "2026-01-02T00:00:00.000Z",
      updated_at_to: "2026-01-03T00:00:00.000Z",
      status_updated_at_from: "2026-01-04T00:00:00.000Z",
      status_updated_at_to: "2026-01-05T00:00:00.000Z",
      count: "2",
      paging_token: "t1",
    });
  });

  test("without a page size the server's default applies, as in the SDK", () => {
    expect(listJobsQuery({}, {})).toEqual({ type_filter: "BATCH_JOB", archive_status: "NOT_ARCHIVED" });
  });

  test("run search: oldest first; one run when a name is given", () => {
    expect(searchJobRunsBody(["j1", "j2"])).toEqual({
      ha_job_ids: ["j1", "j2"],
      sort_by_clauses: [{ sort_field: "CREATED_AT", sort_order: "ASC" }],
      max_runs_per_job: 100,
    });
    expect(searchJobRunsBody(["j1"], "raysubmit_1")).toMatchObject({ max_runs_per_job: 1, run_name: "raysubmit_1" });
  });
});

describe("listJobQueues body", () => {
  test("every filter maps to JobQueuesQuery", () => {
    const args = parseArguments("f", listJobQueuesArgsSchema, {
      name: "q",
      clusterStatus: "running",
      tags: { team: ["a", "b"] },
      sort: [{ field: "created_at", order: "desc" }, { field: "NAME" }],
      includeArchived: true,
      pageSize: 2,
    });
    expect(searchJobQueuesBody(args, { projectId: "prj_1", cloudId: "cld_1", creatorId: "usr_1" }, "p2")).toEqual({
      name: { equals: "q" },
      creator_id: "usr_1",
      cluster_status: "Running",
      project_id: "prj_1",
      cloud_id: "cld_1",
      archive_status: "ALL",
      tags_filter: { team: ["a", "b"] },
      paging: { count: 2, paging_token: "p2" },
      sorting_directives: [
        { sort_field: "CREATED_AT", sort_order: "DESC" },
        { sort_field: "NAME", sort_order: "ASC" },
      ],
    });
  });

  test("an explicit creator id is sent when 'mine only' was not asked", () => {
    expect(searchJobQueuesBody({ creatorId: "usr_9" }, {})).toEqual({
      creator_id: "usr_9",
      archive_status: "NOT_ARCHIVED",
      paging: { count: 50 },
    });
  });
});

test("tags query uses the wire's resource types", () => {
  expect(getTagsQuery("jobQueue", "jq_1")).toEqual({ resource_type: "job_queue", resource_id: "jq_1" });
  expect(getTagsQuery("service", "svc_1")).toEqual({ resource_type: "service", resource_id: "svc_1" });
});
