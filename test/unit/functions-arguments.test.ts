import { InvalidArgumentError } from "../../provider/core/errors";
import { parseArguments } from "../../provider/functions/parse-arguments";
import { getServiceArgsSchema, listServicesArgsSchema } from "../../provider/functions/service-arguments";
import { getJobArgsSchema, getJobLogsArgsSchema, listJobsArgsSchema } from "../../provider/functions/job-arguments";
import { listJobQueuesArgsSchema } from "../../provider/functions/job-queue-arguments";
import { getTagsArgsSchema } from "../../provider/functions/tag-arguments";
import type { z } from "zod";

function rejection(schema: z.ZodType, input: unknown): InvalidArgumentError {
  try {
    parseArguments("anyscale.test", schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const SCHEMAS: Record<string, z.ZodType> = {
  getService: getServiceArgsSchema,
  listServices: listServicesArgsSchema,
  getJob: getJobArgsSchema,
  getJobLogs: getJobLogsArgsSchema,
  listJobs: listJobsArgsSchema,
  listJobQueues: listJobQueuesArgsSchema,
  getTags: getTagsArgsSchema,
};

describe("argument errors name the argument", () => {
  test.each([
    ["getService", {}, "name"],
    ["getService", { id: "svc_1", name: "a" }, "name"],
    ["getService", { id: "svc_1", project: "p" }, "project"],
    ["getService", { name: "a", colud: "x" }, "colud"],
    ["listServices", { states: ["RUNNING", "SLEEPING"] }, "states[1]"],
    ["listServices", { states: [] }, "states"],
    ["listServices", { states: ["paused"] }, "states[0]"],
    ["listServices", { sort: "-age" }, "sort"],
    ["listServices", { pageSize: 51 }, "pageSize"],
    ["listServices", { pageSize: 0 }, "pageSize"],
    ["listServices", { maxItems: 0 }, "maxItems"],
    ["listServices", { maxItems: 2.5 }, "maxItems"],
    ["listServices", { tags: { "te:am": "x" } }, "tags.te:am"],
    ["listServices", { tags: { team: [] } }, "tags.team"],
    ["listServices", { tags: { team: ["a", ""] } }, "tags.team[1]"],
    ["listServices", { id: "svc_1", name: "x" }, "name"],
    ["getJob", { id: "prodjob_1", cloud: "c" }, "cloud"],
    ["getJob", { id: "prodjob_1", includeArchived: true }, "includeArchived"],
    ["getJobLogs", { name: "j", mode: "MIDDLE" }, "mode"],
    ["getJobLogs", { name: "j", maxLines: -1 }, "maxLines"],
    ["listJobs", { states: ["UNKNOWN"] }, "states[0]"],
    ["listJobs", { sortOrder: "DESC" }, "sortOrder"],
    ["listJobs", { sortField: "AGE" }, "sortField"],
    ["listJobs", { createdAtFrom: "yesterday" }, "createdAtFrom"],
    ["listJobs", { createdAtFrom: "2026-02-01T00:00:00Z", createdAtTo: "2026-01-01T00:00:00Z" }, "createdAtFrom"],
    ["listJobs", { statusUpdatedAtFrom: "2026-02-01", statusUpdatedAtTo: "2026-01-01" }, "statusUpdatedAtFrom"],
    ["listJobs", { pageSize: 101 }, "pageSize"],
    ["listJobQueues", { createdByMe: true, creatorId: "usr_1" }, "creatorId"],
    ["listJobQueues", { clusterStatus: "Melting" }, "clusterStatus"],
    ["listJobQueues", { sort: [{ field: "NAME" }, { field: "name", order: "DESC" }] }, "sort"],
    ["getTags", { resource: "workspace", id: "x" }, "resource"],
    ["getTags", { resource: "job" }, "name"],
  ])("%s rejects %j naming %s", (functionName, input, argument) => {
    const error = rejection(SCHEMAS[functionName], input);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(`'${argument}'`);
    expect(error.message).toContain("anyscale.test");
  });
});

describe("accepted arguments are normalised", () => {
  test("service states and sort are case-insensitive, as in the CLI", () => {
    const parsed = parseArguments("f", listServicesArgsSchema, { states: ["running", "Rolling_Out"], sort: "-created_at" });
    expect(parsed.states).toEqual(["RUNNING", "ROLLING_OUT"]);
    expect(parsed.sort).toEqual({ field: "CREATED_AT", order: "DESC" });
    expect(parseArguments("f", listServicesArgsSchema, { sort: "name" }).sort).toEqual({ field: "NAME", order: "ASC" });
  });

  test("a single tag value becomes a one-element list; repeats collapse", () => {
    const parsed = parseArguments("f", listServicesArgsSchema, { tags: { env: "prod", team: ["ml", "infra", "ml"] } });
    expect(parsed.tags).toEqual({ env: ["prod"], team: ["ml", "infra"] });
  });

  test("time bounds become UTC ISO strings; Dates are accepted", () => {
    const parsed = parseArguments("f", listJobsArgsSchema, { createdAtFrom: "2026-01-01", createdAtTo: new Date(Date.UTC(2026, 0, 2)) });
    expect(parsed.createdAtFrom).toBe("2026-01-01T00:00:00.000Z");
    expect(parsed.createdAtTo).toBe("2026-01-02T00:00:00.000Z");
  });

  test("includeArchived: false with an id is not a contradiction", () => {
    expect(() => parseArguments("f", getJobArgsSchema, { id: "prodjob_1", includeArchived: false })).not.toThrow();
  });

  test("cluster states match case-insensitively and come out as the wire spells them", () => {
    expect(parseArguments("f", listJobQueuesArgsSchema, { clusterStatus: "running" }).clusterStatus).toBe("Running");
  });

  test("undefined arguments mean no filter", () => {
    expect(parseArguments("f", listServicesArgsSchema, undefined)).toEqual({});
  });
});
