// The engine runs `--parallel` resource operations at once (4 × cores by default: 8 on a 2-core CI
// runner). A Service or Job spends its operation waiting on the platform (a start takes minutes), so
// a program that declares more of them than that rolls them out in waves, each as long as a start.
// The program knows both numbers (the language host hands it --parallel), so it says so once, in the
// preview as well as the update, with the flag that lifts the limit. Counted: every Service, and every
// Job that waits for more than its submission; `.get()` reads are not operations.
import * as pulumi from "@pulumi/pulumi";

let waiting = 0;
let said = false;
let scheduled = false;

function engineParallel(): number {
  const parallel = Number(process.env.PULUMI_NODEJS_PARALLEL);
  return Number.isInteger(parallel) && parallel > 0 ? parallel : 0;
}

export function parallelismHint(count: number, parallel: number): string | undefined {
  if (parallel <= 0 || count <= parallel) return undefined;
  return (
    `${count} Services and Jobs in this program wait on the platform, and the engine runs ${parallel} operations at once: ` +
    `when they all change, the rest queue for a free slot, each for as long as a platform start. ` +
    `\`pulumi up --parallel ${count}\` (or PULUMI_PARALLEL=${count}) starts them together; see docs/performance-scale.md in pulumi-anyscale.`
  );
}

/** Called by the Service and Job classes for each resource that will wait on the platform. */
export function noteWaitingResource(): void {
  waiting++;
  if (said || scheduled) return;
  scheduled = true;
  // After the program's synchronous body, so the count covers every resource it declares at once.
  setImmediate(() => {
    scheduled = false;
    const message = parallelismHint(waiting, engineParallel());
    if (!message) return;
    said = true;
    void pulumi.log.info(message);
  });
}
