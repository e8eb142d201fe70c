package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// interpreter is the Python that runs a program, and the virtualenv it belongs to (if any).
type interpreter struct {
	executable string
	virtualenv string
}

// findInterpreter follows Pulumi.yaml's runtime options: `virtualenv` (relative to the project
// directory) picks that environment's python; without it, PULUMI_PYTHON_CMD or python3 on PATH.
// Only the pip toolchain exists here: a `toolchain` of poetry or uv is refused by name rather than
// silently run with pip.
func findInterpreter(info *pulumirpc.ProgramInfo) (interpreter, error) {
	virtualenv, err := virtualenvOption(info)
	if err != nil {
		return interpreter{}, err
	}
	if virtualenv != "" {
		python := filepath.Join(virtualenv, "bin", "python")
		if _, err := os.Stat(python); err != nil {
			return interpreter{}, fmt.Errorf(
				"runtime option virtualenv: %s has no bin/python; create it (python3 -m venv %s) and install the "+
					"program's requirements into it (%s/bin/pip install -r requirements.txt)", virtualenv, virtualenv, virtualenv)
		}
		return interpreter{executable: python, virtualenv: virtualenv}, nil
	}
	return systemPython()
}

// virtualenvOption is the absolute path of the `virtualenv` runtime option ("" when unset).
func virtualenvOption(info *pulumirpc.ProgramInfo) (string, error) {
	options := map[string]any{}
	rootDirectory := ""
	if info != nil {
		rootDirectory = info.RootDirectory
		if info.Options != nil {
			options = info.Options.AsMap()
		}
	}
	if toolchain, _ := options["toolchain"].(string); toolchain != "" && toolchain != "pip" {
		return "", fmt.Errorf(
			"runtime option toolchain: %q is not supported by this Python language host; use \"pip\" with a virtualenv", toolchain)
	}
	virtualenv, _ := options["virtualenv"].(string)
	if virtualenv != "" && !filepath.IsAbs(virtualenv) && rootDirectory != "" {
		virtualenv = filepath.Join(rootDirectory, virtualenv)
	}
	return virtualenv, nil
}

func systemPython() (interpreter, error) {
	candidates := []string{"python3", "python"}
	if command := os.Getenv("PULUMI_PYTHON_CMD"); command != "" {
		candidates = []string{command}
	}
	for _, candidate := range candidates {
		if path, err := exec.LookPath(candidate); err == nil {
			return interpreter{executable: path}, nil
		}
	}
	return interpreter{}, fmt.Errorf("no Python interpreter found (tried %s on PATH); set the virtualenv runtime option in Pulumi.yaml",
		strings.Join(candidates, ", "))
}

// environmentFor makes a virtualenv's python behave as if the environment were activated, so
// subprocesses the program starts (pip, console scripts) come from the same environment.
func (python interpreter) environmentFor(base []string) []string {
	if python.virtualenv == "" {
		return base
	}
	env := make([]string, 0, len(base)+2)
	for _, entry := range base {
		switch {
		case strings.HasPrefix(entry, "PYTHONHOME="), strings.HasPrefix(entry, "VIRTUAL_ENV="):
			continue
		case strings.HasPrefix(entry, "PATH="):
			entry = "PATH=" + filepath.Join(python.virtualenv, "bin") + string(os.PathListSeparator) + strings.TrimPrefix(entry, "PATH=")
		}
		env = append(env, entry)
	}
	return append(env, "VIRTUAL_ENV="+python.virtualenv)
}
