// Pure judgement of an image build's observed status (the SDK's _wait_for_build_to_succeed):
// succeeded ends the wait, failed/canceled fail it, anything else keeps polling.
import { statelessRules, type WaitDecision } from "../core/waiter";

export interface ObservedBuild {
  id: string;
  status: string;
  revision?: number | null;
  error_message?: string | null;
}

export function decideBuild(build: ObservedBuild): WaitDecision<ObservedBuild> {
  switch (build.status) {
    case "succeeded":
      return { kind: "success", result: build, summary: `image build ${build.id} succeeded` };
    case "failed":
      return { kind: "failure", reason: `image build ${build.id} failed${build.error_message ? `: ${build.error_message}` : ""}` };
    case "canceled":
    case "pending_cancellation":
      return { kind: "failure", reason: `image build ${build.id} was cancelled` };
    default:
      return { kind: "retry", progress: `image build ${build.id} ${build.status.replace(/_/g, " ")}` };
  }
}

export const buildWaitRules = statelessRules(decideBuild);

/** The platform's alias for a build of a named image: what Services and Jobs take as imageUri. */
export function imageAlias(imageName: string, revision: number): string {
  return `anyscale/image/${imageName}:${revision}`;
}

/** The SDK's image URI pattern ([registry_host/]user_name/repository[:tag][@digest]). */
export const IMAGE_URI_PATTERN =
  /^(([a-zA-Z0-9.-]+)(?::([0-9]+))?\/)?([a-zA-Z0-9-_]+\/)?([a-zA-Z0-9-/_.]+)(:([a-zA-Z0-9_.-]+))?(@([a-zA-Z0-9:]+))?$/;
