import type { PulumiProject } from "./pulumi";

// The afterAll of the e2e files: whatever beforeAll got to start (any of it may be missing when
// beforeAll failed) is undone, the stacks first since destroying them needs the plane.

export async function tearDownStacks(
  stacks: PulumiProject | undefined | readonly PulumiProject[],
  plane?: { stop(): Promise<void> },
  zenmlServer?: { release(): void },
): Promise<void> {
  for (const project of [stacks].flat()) {
    if (!project) continue;
    await project.destroy({ allowFailure: true });
    project.remove();
  }
  await plane?.stop();
  zenmlServer?.release();
}
