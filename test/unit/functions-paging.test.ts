import { UnexpectedResponseError } from "../../provider/core/errors";
import { collect, paginate, type Page } from "../../provider/core/paging";

function pagedSource(pages: Array<Page<number>>) {
  const requested: Array<string | undefined> = [];
  const fetchPage = async (token: string | undefined) => {
    requested.push(token);
    const index = token === undefined ? 0 : Number(token.slice(1));
    return pages[index];
  };
  return { fetchPage, requested };
}

const threePages: Array<Page<number>> = [
  { items: [1, 2], nextPagingToken: "p1" },
  { items: [3, 4], nextPagingToken: "p2" },
  { items: [5], nextPagingToken: null },
];

test("follows paging tokens until the last page", async () => {
  const source = pagedSource(threePages);
  expect(await collect(paginate(source.fetchPage, { endpoint: "GET /x" }))).toEqual([1, 2, 3, 4, 5]);
  expect(source.requested).toEqual([undefined, "p1", "p2"]);
});

test("stops at maxItems without fetching further pages", async () => {
  const source = pagedSource(threePages);
  expect(await collect(paginate(source.fetchPage, { endpoint: "GET /x", maxItems: 3 }))).toEqual([1, 2, 3]);
  expect(source.requested).toEqual([undefined, "p1"]);
});

test("maxItems on a page boundary does not fetch the next page", async () => {
  const source = pagedSource(threePages);
  expect(await collect(paginate(source.fetchPage, { endpoint: "GET /x", maxItems: 2 }))).toEqual([1, 2]);
  expect(source.requested).toEqual([undefined]);
});

test("an empty token ends the list", async () => {
  const source = pagedSource([{ items: [1], nextPagingToken: "" }]);
  expect(await collect(paginate(source.fetchPage, { endpoint: "GET /x" }))).toEqual([1]);
});

test("a repeated token is a bad server response naming the endpoint, not an endless loop", async () => {
  const source = pagedSource([
    { items: [1], nextPagingToken: "p1" },
    { items: [2], nextPagingToken: "p1" },
  ]);
  const error = await collect(paginate(source.fetchPage, { endpoint: "GET /api/v2/services-v2/" })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnexpectedResponseError);
  expect((error as Error).message).toContain("GET /api/v2/services-v2/");
});

test("items come lazily: nothing is fetched before iteration", async () => {
  const source = pagedSource(threePages);
  const iterator = paginate(source.fetchPage, { endpoint: "GET /x" });
  expect(source.requested).toEqual([]);
  await iterator.next();
  expect(source.requested).toEqual([undefined]);
});
