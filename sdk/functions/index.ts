// Data functions: read-only access to Anyscale objects, each as a plain async function and an Output form.
export * from "./services";
export * from "./jobs";
export * from "./job-queues";
export * from "./tags";
export * from "./compute-configs";
export { InvalidArgumentError, ObjectNotFoundError, AmbiguousNameError } from "../../provider/core/errors";
