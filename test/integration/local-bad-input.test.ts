import { api, errorText, applyBody, planeDefaults, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

// Bad input gets the real status code and an {"error": {"detail"}} naming the problem; nothing is half-written.

describe("local control plane: bad input", () => {
  const plane = withLocalPlane();
  let d: PlaneDefaults;
  const a = () => api(plane());

  beforeAll(async () => {
    d = await planeDefaults(a());
  });

  const cases: Array<[string, () => Record<string, unknown> | string, number, RegExp]> = [
    ["malformed JSON", () => '{"name": ', 400, /malformed json/i],
    ["missing name", () => ({ ...applyBody(d, "x"), name: undefined }), 422, /name/],
    ["missing ray_serve_config", () => ({ ...applyBody(d, "x"), ray_serve_config: undefined }), 422, /ray_serve_config/],
    ["application without import_path", () => applyBody(d, "x", { ray_serve_config: { applications: [{ name: "a" }] } }), 422, /ray_serve_config\.applications\.0\.import_path/],
    ["wrong type for build_id", () => applyBody(d, "x", { build_id: 42 }), 422, /build_id/],
    ["canary_percent above 100", () => applyBody(d, "x", { canary_percent: 101 }), 422, /canary_percent/],
    ["negative max_surge_percent", () => applyBody(d, "x", { max_surge_percent: -1 }), 422, /max_surge_percent/],
    ["fractional canary_percent", () => applyBody(d, "x", { canary_percent: 12.5 }), 422, /canary_percent/],
    ["unknown rollout_strategy", () => applyBody(d, "x", { rollout_strategy: "BLUE_GREEN" }), 422, /rollout_strategy/],
    ["use_bearer_token not a bool", () => applyBody(d, "x", { config: { access: { use_bearer_token: "yes" } } }), 422, /config\.access\.use_bearer_token/],
    ["unknown compute config", () => applyBody(d, "x", { compute_config_id: "cpt_nope" }), 404, /cpt_nope/],
    ["unknown build", () => applyBody(d, "x", { build_id: "bld_nope" }), 404, /bld_nope/],
    ["unknown project", () => applyBody(d, "x", { project_id: "prj_nope" }), 404, /prj_nope/],
    ["IN_PLACE on a missing service", () => applyBody(d, "x", { rollout_strategy: "IN_PLACE" }), 400, /no service was found/],
    ["body is an array", () => "[]", 422, /body/],
  ];

  test.each(cases)("apply with %s", async (_label, body, status, detail) => {
    const res = await a().put("/api/v2/services-v2/apply", body());
    expect(res.status).toBe(status);
    expect(errorText(res.body)).toMatch(detail);
    expect(res.headers["x-trace-id"]).toBeTruthy();
  });

  test("no service record was written by any rejected apply", async () => {
    const list = (await a().get("/api/v2/services-v2/?archive_status=ALL")).body;
    expect(list.results).toHaveLength(0);
  });

  test.each([
    ["GET", "/api/v2/services-v2/service2_nope", 404],
    ["POST", "/api/v2/services-v2/service2_nope/terminate", 404],
    ["POST", "/api/v2/services-v2/service2_nope/rollback", 404],
    ["DELETE", "/api/v2/services-v2/service2_nope", 404],
    ["GET", "/api/v2/services-v2/service2_nope/versions", 404],
    ["GET", "/api/v2/services-v2/?state_filter=SLEEPING", 422],
    ["GET", "/api/v2/services-v2/?count=0", 422],
    ["GET", "/api/v2/services-v2/?archive_status=SOME", 422],
    ["PATCH", "/api/v2/services-v2/apply", 405],
  ])("%s %s → %d", async (method, path, status) => {
    const res = await a().call(method, path, method === "POST" ? {} : undefined);
    expect(res.status).toBe(status);
    expect(typeof errorText(res.body)).toBe("string");
  });
});
