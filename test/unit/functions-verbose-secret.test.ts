// A verbose read returns env var values, so its Output form is a secret; a plain read is not.
import * as pulumi from "@pulumi/pulumi";
import { invokeVerboseAware } from "../../sdk/functions/inputs";

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("invokeVerboseAware", () => {
  const read = async (args: { name: string; verbose?: boolean }) => ({ name: args.name, config: { envVars: { TOKEN: "t" } } });

  it("makes a verbose result secret", async () => {
    const output = invokeVerboseAware({ name: pulumi.output("svc"), verbose: true }, read);
    expect(await valueOf(output)).toEqual({ name: "svc", config: { envVars: { TOKEN: "t" } } });
    expect(await pulumi.isSecret(output)).toBe(true);
  });

  it("leaves a plain result as it is", async () => {
    const output = invokeVerboseAware({ name: "svc" }, read);
    expect((await valueOf(output)).name).toBe("svc");
    expect(await pulumi.isSecret(output)).toBe(false);
  });
});
