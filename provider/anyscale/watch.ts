// The shared poller's view of Anyscale: one SharedObserver per server and account in this process, with
// sources that refresh every waited service, job or queue through list requests (one page answers for
// up to 50 of them) and read an object by id only when no list shows it. List items carry the same
// fields as the by-id answers (docs/wire-protocol.md §2, §3), so a listed object needs no second read.
import { SharedObserver, waiterPauseMs, type BatchSource, type ObserverOptions } from "../core/observer";
import type { RequestBudget } from "../core/request-budget";
import { reportProgress } from "../core/progress";
import { formatDuration } from "../core/timeouts";
import type { PollSchedule } from "../core/waiter";
import type { Page } from "../core/paging";
import { MAX_PAGE_SIZE, type AnyscaleClient } from "./client";
import type { JobModel } from "./job-models";
import type { JobQueueModel } from "./job-queue-models";
import type { ServiceModel } from "./service-models";

/**
 * Defaults for the real platform: a round every 1.1 s on average (0.88–1.32 s) keeps a 20-service wait
 * under one request a second (one list page per round) while a state change is seen 0.55 s later on
 * average and 1.32 s (plus the round's own time) at worst.
 */
export const DEFAULT_OBSERVER_OPTIONS: ObserverOptions = {
  intervalMs: 1100,
  jitter: 0.2,
  maxRequestsPerSecond: 2,
  burst: 4,
  maxOutageIntervalMs: 5000,
  staleAfterMs: 15_000,
  unseenTimeoutMs: 5 * 60_000,
};

/**
 * Waits backed by the observer ask again as soon as they have judged an observation: the observer's
 * round, not the waiter, sets the pace.
 */
export function observedPollSchedule(options: ObserverOptions = observerOptionsFromEnvironment()): PollSchedule {
  // Shorter than a round, so a waiter is always back before the next round starts; still a pause, so a
  // wait that polls on its own with this schedule cannot spin.
  const delay = waiterPauseMs(options);
  return { initialDelayMs: delay, maxDelayMs: delay, factor: 1, jitter: 0 };
}

/**
 * Pages read per list before falling back to by-id reads for keys still missing: the pages the keys
 * fill, plus one (the waited objects are the newest, but not only they), at least two.
 */
const listPagesFor = (keyCount: number): number => Math.max(2, Math.ceil(keyCount / MAX_PAGE_SIZE) + 1);
/** A round needs at least the pages its keys fill (the observer scales its budget with it). */
const plannedRequests = (keyCount: number): number => Math.ceil(keyCount / MAX_PAGE_SIZE);
/** One retry inside a round absorbs a lone transient fault; anything longer is the next round's business. */
const POLL_ATTEMPTS = 2;

const observers = new Map<string, SharedObserver>();

/** The poll interval tests and benches set for the local plane (ANYSCALE_POLL_INTERVAL_MS), else the default. */
export function observerOptionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ObserverOptions {
  const intervalMs = Number(env.ANYSCALE_POLL_INTERVAL_MS);
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) return DEFAULT_OBSERVER_OPTIONS;
  return {
    ...DEFAULT_OBSERVER_OPTIONS,
    intervalMs,
    maxRequestsPerSecond: Math.max(DEFAULT_OBSERVER_OPTIONS.maxRequestsPerSecond, (2 * 1000) / intervalMs),
    maxOutageIntervalMs: Math.max(intervalMs * 4, 200),
    staleAfterMs: Math.max(intervalMs * 20, 1000),
    unseenTimeoutMs: Math.max(intervalMs * 100, 10_000),
  };
}

/** The process's observer for this client's server and account (created on first use). */
export function observerFor(client: AnyscaleClient, options: ObserverOptions = observerOptionsFromEnvironment()): SharedObserver {
  let observer = observers.get(client.lookupScope);
  if (!observer) {
    observer = new SharedObserver(options);
    observers.set(client.lookupScope, observer);
  }
  if (!observer.hasSource("services")) {
    observer.addSource("services", servicesSource(client));
    observer.addSource("jobs", jobsSource(client));
    observer.addSource("jobQueues", jobQueuesSource(client));
  }
  return observer;
}

/** Forgets every observer (tests that restart planes on new ports or tokens). */
export function resetObservers(): void {
  observers.clear();
}

/** The next observation of a service (undefined: it no longer exists). */
export function nextService(client: AnyscaleClient, serviceId: string): Promise<ServiceModel | undefined> {
  return observed(client, "services", serviceId);
}

export function nextJob(client: AnyscaleClient, jobId: string): Promise<JobModel | undefined> {
  return observed(client, "jobs", jobId);
}

export function nextJobQueue(client: AnyscaleClient, jobQueueId: string): Promise<JobQueueModel | undefined> {
  return observed(client, "jobQueues", jobQueueId);
}

async function observed<Value>(client: AnyscaleClient, source: string, key: string): Promise<Value | undefined> {
  const observer = observerFor(client);
  const value = await observer.next<Value>(source, key);
  // Runs in the waiter's own context, so the line reaches the resource that is waiting.
  const outage = observer.outage();
  if (outage && outage.sinceMs >= 1000) {
    reportProgress(`Anyscale API unavailable for ${formatDuration(outage.sinceMs)} (${outage.reason}); still waiting`);
  }
  return value;
}

/** One page of a list; `pagingToken` undefined for the first. */
export type ListPage<Value> = (pagingToken: string | undefined) => Promise<Page<Value>>;

/** A list a source reads every round, with how deep its waited keys were found lately. */
export interface WatchedList<Value> {
  readonly page: ListPage<Value>;
  /** Pages the recent rounds needed to find their keys (the last one's, or one less than before). */
  neededPages: number;
}

export function watchedList<Value>(page: ListPage<Value>): WatchedList<Value> {
  return { page, neededPages: 0 };
}

/**
 * Reads pages of each list in turn until every key is found, then reads the still-missing ones by id.
 * The waited keys are among the newest, but need not be the newest: 50 of 200 services rolling out
 * together may sit on any of their 4 pages (a round that starts before every waiter is back asks for
 * a part of them). So a list is read for the pages its keys fill plus one, or as deep as the recent
 * rounds found theirs; beyond that, on while its last page found a waited key and two or more are
 * still missing (one more page costs less than the reads by id it saves; a page finding none ends it,
 * so a list that does not hold the keys is never read to its end).
 */
export async function collectWaited<Value extends { id: string }>(
  keys: readonly string[],
  budget: RequestBudget,
  lists: ReadonlyArray<WatchedList<Value>>,
  byId: (id: string) => Promise<Value | undefined>,
): Promise<Map<string, Value>> {
  const wanted = new Set(keys);
  const found = new Map<string, Value>();
  for (const list of lists) {
    if (wanted.size === 0) break;
    const plannedPages = Math.max(listPagesFor(keys.length), list.neededPages);
    let token: string | undefined;
    let lastFoundOn = 0;
    for (let pageNumber = 1, foundOnLastPage = true; wanted.size > 0; pageNumber++) {
      if (pageNumber > plannedPages && !(foundOnLastPage && wanted.size >= 2)) break;
      await budget.take();
      const page = await list.page(token);
      const before = wanted.size;
      for (const item of page.items) {
        if (wanted.delete(item.id)) found.set(item.id, item);
      }
      foundOnLastPage = wanted.size < before;
      if (foundOnLastPage) lastFoundOn = pageNumber;
      if (!page.nextPagingToken || page.items.length === 0) break;
      token = page.nextPagingToken;
    }
    list.neededPages = Math.max(lastFoundOn, list.neededPages - 1);
  }
  for (const id of wanted) {
    await budget.take();
    const value = await byId(id);
    if (value) found.set(id, value);
  }
  return found;
}

const POLL = { maxAttempts: POLL_ATTEMPTS };

/**
 * Services: the waited ones were just applied, so the most recently deployed come first; a teardown
 * waits on an old service, which the TERMINATING list finds.
 */
function servicesSource(client: AnyscaleClient): BatchSource<ServiceModel> {
  const { services } = client;
  const lists = [watchedList((token) => services.pollPage("recently-deployed", token, POLL)), watchedList((token) => services.pollPage("terminating", token, POLL))];
  return { plannedRequests, fetch: (keys, budget) => collectWaited(keys, budget, lists, (id) => services.get(id, POLL)) };
}

/** Jobs: the waited ones were just submitted, so the newest come first. */
function jobsSource(client: AnyscaleClient): BatchSource<JobModel> {
  const { jobs } = client;
  const lists = [watchedList((token) => jobs.pollPage(token, POLL))];
  return { plannedRequests, fetch: (keys, budget) => collectWaited(keys, budget, lists, (id) => jobs.get(id, POLL)) };
}

function jobQueuesSource(client: AnyscaleClient): BatchSource<JobQueueModel> {
  const { jobQueues } = client;
  const lists = [watchedList((token) => jobQueues.pollPage(token, POLL))];
  return { plannedRequests, fetch: (keys, budget) => collectWaited(keys, budget, lists, (id) => jobQueues.get(id, POLL)) };
}
