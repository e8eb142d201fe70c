package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The start-up glue the PyPI package does not ship: it configures the runtime from its flags and
// the engine's config, then runs the program inside the root stack resource.
//
//go:embed run_program.py
var runProgramScript string

// Newer engines describe the program with ProgramInfo; older fields remain as a fallback.
func programLocation(req *pulumirpc.RunRequest) (programDirectory, entryPoint, rootDirectory string) {
	programDirectory, entryPoint, rootDirectory = req.Pwd, req.Program, req.Pwd
	if info := req.GetInfo(); info != nil {
		if info.ProgramDirectory != "" {
			programDirectory = info.ProgramDirectory
		}
		if info.EntryPoint != "" {
			entryPoint = info.EntryPoint
		}
		if info.RootDirectory != "" {
			rootDirectory = info.RootDirectory
		}
	}
	if entryPoint == "" {
		entryPoint = "."
	}
	return programDirectory, entryPoint, rootDirectory
}

func runnerFlags(req *pulumirpc.RunRequest, programDirectory, rootDirectory, engineAddress string) []string {
	flags := []string{"--monitor", req.MonitorAddress, "--pwd", programDirectory}
	if engineAddress != "" {
		flags = append(flags, "--engine", engineAddress)
	}
	if req.Organization != "" {
		flags = append(flags, "--organization", req.Organization)
	}
	if req.Project != "" {
		flags = append(flags, "--project", req.Project)
	}
	if req.Stack != "" {
		flags = append(flags, "--stack", req.Stack)
	}
	if rootDirectory != "" {
		flags = append(flags, "--root-directory", rootDirectory)
	}
	if req.DryRun {
		flags = append(flags, "--dry-run")
	}
	if req.Parallel > 0 {
		flags = append(flags, "--parallel", strconv.Itoa(int(req.Parallel)))
	}
	return flags
}

// Config travels in the environment variables the Python SDK reads by itself.
func programEnvironment(req *pulumirpc.RunRequest, python interpreter) ([]string, error) {
	config := req.Config
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("could not encode stack config: %w", err)
	}
	secretKeys := req.ConfigSecretKeys
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("could not encode secret config keys: %w", err)
	}
	return append(python.environmentFor(os.Environ()),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PYTHONUNBUFFERED=1",
	), nil
}
