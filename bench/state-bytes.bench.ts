import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../test/helpers/pulumi";
import { anyscaleProgram, handWrittenInlineProgram, naiveInlineProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import { benchProject, FAST_TIMINGS, startBenchPlane } from "./lib/stacks";

// State bytes per resource (goal <= 4 KB with the serialized provider), versus the same provider
// code placed in the program directory, which the closure serializer inlines into state.

const GOAL_BYTES = 4096;

export async function stateBytesBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(FAST_TIMINGS);
  try {
    const project = await benchProject("state-bytes", anyscaleProgram("sb", { services: 1, jobs: 1 }), plane);
    await project.up();
    const { deployment } = await project.exportStack();
    for (const [label, type] of [["Service", "svc-0"], ["Job", "job-0"]] as const) {
      const resource = deployment.deployment.resources.find((r: any) => r.urn.endsWith(`::${type}`));
      const bytes = Buffer.byteLength(JSON.stringify(resource));
      const providerBytes = Buffer.byteLength(String(resource.outputs?.__provider ?? resource.inputs?.__provider ?? ""));
      report.add({ bench: "state bytes", metric: `${label} resource in state (provider ${providerBytes} B)`, value: `${bytes} B`, goal: `<= ${GOAL_BYTES} B`, met: bytes <= GOAL_BYTES });
    }
    await project.destroy({ allowFailure: true });
    project.remove();

    const naive = await benchProject("state-bytes-naive", naiveInlineProgram("naive"), plane);
    fs.cpSync(path.join(REPO_ROOT, "dist/provider"), path.join(naive.dir, "inlined/provider"), { recursive: true });
    const up = await naive.up({ allowFailure: true });
    if (up.code !== 0) {
      const reason = (up.stdout + up.stderr).split("\n").find((l) => /Error serializing|captured|Unexpected/i.test(l))?.trim() ?? `exit ${up.code}`;
      report.add({ bench: "state bytes", metric: "pulumi-anyscale's provider code placed in the program dir", value: `pulumi up fails: ${reason.replace(/\x1b\[[0-9;]*m/g, "").slice(0, 100)}` });
    } else {
      const { deployment: naiveDeployment } = await naive.exportStack();
      const resource = naiveDeployment.deployment.resources.find((r: any) => r.urn.endsWith("::naive-svc"));
      report.add({ bench: "state bytes", metric: "naive inlined provider, one Service", value: `${Buffer.byteLength(JSON.stringify(resource))} B` });
      await naive.destroy({ allowFailure: true });
    }
    naive.remove();

    const handWritten = await benchProject("state-bytes-hand", handWrittenInlineProgram("hand"), plane, { BENCH_NAIVE_TOKEN: plane.token });
    await handWritten.up();
    const { deployment: handDeployment } = await handWritten.exportStack();
    const handResource = handDeployment.deployment.resources.find((r: any) => r.urn.endsWith("::naive-svc"));
    const handBytes = Buffer.byteLength(JSON.stringify(handResource));
    report.add({ bench: "state bytes", metric: "hand-written inline dynamic provider (60 lines), one Service", value: `${handBytes} B` });
    await handWritten.destroy({ allowFailure: true });
    handWritten.remove();
  } finally {
    await plane.stop();
  }
}
