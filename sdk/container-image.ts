// anyscale.ContainerImage: a named image built from a containerfile (the platform's image build) or
// registered from an image URI. Pass `imageUri` ("anyscale/image/<name>:<version>") to a Service or Job.
import * as pulumi from "@pulumi/pulumi";
import { registrationProps, type TimeoutsArgs, withoutPromiseStacks } from "./common";
import { CONTAINER_IMAGE_OUTPUT_NAMES } from "../provider/containerimage/output-schema";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const containerImageProvider: pulumi.dynamic.ResourceProvider = require("../provider/containerimage/dynamic");

export interface ContainerImageArgs {
  /** The image's name (replaces). Defaults to the resource name. Letters, digits, '-' and '_'. */
  name?: pulumi.Input<string>;
  /** Take over an object of this name that another stack registered, instead of refusing (docs/ownership.md). */
  adoptExisting?: pulumi.Input<boolean>;
  /** Path of a containerfile; a change of its content builds a new version. Exclusive with registryImageUri. */
  containerfile?: pulumi.Input<string>;
  /** An image in your registry to register (new version on change). Exclusive with containerfile. */
  registryImageUri?: pulumi.Input<string>;
  /** Name or ARN of the secret holding the registry credentials (with registryImageUri). */
  registryLoginSecret?: pulumi.Input<string>;
  /** Ray version of the image, X.Y.Z (new version on change). */
  rayVersion?: pulumi.Input<string>;
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

// The declared outputs, plus the source digest check records (an input the engine hands back).
const OUTPUT_NAMES = [...CONTAINER_IMAGE_OUTPUT_NAMES, "sourceHash"] as const;

export class ContainerImage extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  /** The image's id (same as `id`). */
  declare readonly imageId: pulumi.Output<string>;
  /** "anyscale/image/<name>:<version>". */
  declare readonly imageUri: pulumi.Output<string>;
  declare readonly buildId: pulumi.Output<string>;
  /** succeeded, or failed for a build that did not complete. */
  declare readonly buildState: pulumi.Output<string>;
  declare readonly version: pulumi.Output<number>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.CustomResourceOptions) {
    const props = registrationProps([...OUTPUT_NAMES, "name"], args, opts, () => ({ name: args.name ?? name }));
    const restoreStacks = withoutPromiseStacks();
    try {
      super(containerImageProvider, name, props, opts, "anyscale", "ContainerImage");
    } finally {
      restoreStacks();
    }
  }

  /** An existing image by id, read from the platform (not managed by this program). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ContainerImage {
    return new ContainerImage(name, {}, { ...opts, id });
  }
}
