import { loadAdapter, loadInvoke, RESOURCE_TOKENS } from "../../provider/hosts/native/catalog";
import { INVOKES } from "../../provider/hosts/native/invokes";
import { RESOURCES } from "../../provider/hosts/native/resources";

// The plugin loads a resource's module on first use (catalog.ts); the schema and these tests read the
// eager list (resources.ts). The two must name the same resources, each loading the same adapter.
describe("the plugin's lazy catalog", () => {
  it("serves exactly the resources of the eager list", () => {
    expect([...RESOURCE_TOKENS].sort()).toEqual(RESOURCES.map((adapter) => adapter.token).sort());
  });

  it.each(RESOURCES.map((adapter) => [adapter.token, adapter]))("loads %s's own adapter", async (token, adapter) => {
    expect(await loadAdapter(token)).toBe(adapter);
  });

  it("answers undefined for a type or function it does not serve", async () => {
    expect(await loadAdapter("anyscale:index:Nope")).toBeUndefined();
    expect(await loadInvoke("anyscale:index:getNope")).toBeUndefined();
  });

  it.each(INVOKES.map((spec) => [spec.token, spec]))("loads the function %s", async (token, spec) => {
    expect(await loadInvoke(token)).toBe(spec);
  });
});
