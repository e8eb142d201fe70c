// Services (/api/v2/services-v2): apply, read, list versions, rollback, terminate, archive, delete, and
// the list pages the shared poller (watch.ts) refreshes waited services from.
import { NotFoundError } from "../core/errors";
import type { Page } from "../core/paging";
import type { AnyscaleClient, CallOptions } from "./client";
import { serviceSchema, serviceVersionSchema, type ServiceModel, type ServiceVersionModel } from "./service-models";

export class ServicesApi {
  constructor(private readonly client: AnyscaleClient) {}

  /** Create-or-update keyed by (name, project_id). Not resent on ambiguous failures: a repeat could start another version. */
  async apply(body: Record<string, unknown>): Promise<ServiceModel> {
    return this.client.result(serviceSchema, "PUT", "/api/v2/services-v2/apply", { body, idempotent: false });
  }

  /** The service, or undefined when the API says 404. */
  async get(serviceId: string, options: Pick<CallOptions, "maxAttempts"> = {}): Promise<ServiceModel | undefined> {
    try {
      return await this.client.result(serviceSchema, "GET", `/api/v2/services-v2/${encodeURIComponent(serviceId)}`, options);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The service with exactly this name in the project. The list endpoint's `name` filter is a
   * case-insensitive substring match, so names are compared client-side.
   */
  async findByName(
    name: string,
    filters: { projectId?: string; cloudId?: string; includeArchived?: boolean } = {},
  ): Promise<ServiceModel | undefined> {
    const services = await this.client.listAll(serviceSchema, "GET", "/api/v2/services-v2/", {
      query: {
        name,
        project_id: filters.projectId,
        cloud_id: filters.cloudId,
        archive_status: filters.includeArchived ? "ALL" : "NOT_ARCHIVED",
      },
    });
    return services.find((service) => service.name === name && (!filters.projectId || service.project_id === filters.projectId));
  }

  /**
   * One page of the non-archived services, for the shared poller: the most recently deployed first (a
   * waited service was just applied), or only the TERMINATING ones (a teardown waits on an old service).
   */
  pollPage(order: "recently-deployed" | "terminating", pagingToken: string | undefined, options: Pick<CallOptions, "maxAttempts"> = {}): Promise<Page<ServiceModel>> {
    const view = order === "terminating" ? { state_filter: ["TERMINATING"] } : { sort_field: "LAST_DEPLOYED_AT", sort_order: "DESC" };
    return this.client.listPage(serviceSchema, "GET", "/api/v2/services-v2/", pagingToken, { ...options, query: { ...view, archive_status: "NOT_ARCHIVED" } });
  }

  async listVersions(serviceId: string): Promise<ServiceVersionModel[]> {
    return this.client.listAll(serviceVersionSchema, "GET", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/versions`);
  }

  async rollback(serviceId: string, maxSurgePercent?: number): Promise<void> {
    await this.client.send("POST", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/rollback`, {
      body: { max_surge_percent: maxSurgePercent },
      idempotent: false,
    });
  }

  /** Terminating twice is harmless, so transient failures are retried. */
  async terminate(serviceId: string): Promise<void> {
    await this.client.send("POST", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/terminate`, { idempotent: true });
  }

  async archive(serviceId: string): Promise<void> {
    await this.client.send("POST", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/archive`, { idempotent: true });
  }

  /** The API refuses (400) unless the service is TERMINATED. */
  async delete(serviceId: string): Promise<void> {
    await this.client.send("DELETE", `/api/v2/services-v2/${encodeURIComponent(serviceId)}`);
  }
}
