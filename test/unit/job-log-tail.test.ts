// Logs are the user's data: kept in outputs and errors, except where they would leak a secret we were given.
import { lastLines, logTailForError, logTailForOutput } from "../../provider/job/log-tail";

describe("job log tail", () => {
  const lines = ["step 1", "step 2", "using token sss_abcdefghijklmnop", "done"];

  it("keeps the last lines", () => {
    expect(lastLines(lines, 2)).toEqual(["using token sss_abcdefghijklmnop", "done"]);
    expect(lastLines(lines, 0)).toEqual([]);
    expect(lastLines(lines, 10)).toEqual(lines);
  });

  it("masks given secrets and token-shaped values in the output", () => {
    expect(logTailForOutput(["password is hunter2-secret", "ok"], ["hunter2-secret"])).toBe("password is [REDACTED]\nok");
    expect(logTailForOutput(lines, [])).toContain("using token [REDACTED]");
    // short values would mask ordinary words, so they are not treated as secrets
    expect(logTailForOutput(["mode x"], ["x"])).toBe("mode x");
  });

  it("puts the log in the error unless it carries a secret", () => {
    expect(logTailForError(["step 1", "boom"], ["hunter2-secret"], "`anyscale job logs`")).toBe("Last 2 log line(s):\n    step 1\n    boom");
    const withSecret = logTailForError(["leaking hunter2-secret"], ["hunter2-secret"], "`anyscale job logs --id prodjob_1`");
    expect(withSecret).not.toContain("hunter2-secret");
    expect(withSecret).toMatch(/left out of this message.*anyscale job logs --id prodjob_1/);
    expect(logTailForError([], [], "x")).toBe("The job wrote no log lines.");
  });
});
