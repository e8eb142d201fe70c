import * as fs from "node:fs";
import * as path from "node:path";

// One server per data dir: two writers on one journal would interleave and lose writes. A lock file
// holds the owner's pid; a lock left by a dead process (kill -9) is taken over.

const LOCK_FILE = "server.lock";

export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(`data dir ${dataDir} is in use by another anyscale-local (pid ${owner}); stop it or use another --data-dir`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock data dir ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** A killed child its parent has not reaped yet still answers kill(pid, 0); on Linux /proc tells. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}
