// pulumi-language-nodejs: a small Node.js language host for the `pulumi` CLI.
//
// Why it exists: the upstream host lives in its own Go module that the Go module proxy reachable
// here does not serve (403 for every version), while the CLI itself (pkg/v3) and the SDK (sdk/v3,
// which carries the gRPC definitions) are served. The CLI needs a language host to run a project's
// program (`pulumi up` in a directory), so scripts/setup-pulumi.sh builds this one next to the CLI.
//
// It speaks the same LanguageRuntime gRPC protocol and starts the program exactly the way the
// Node.js SDK expects to be started (`node @pulumi/pulumi/cmd/run <flags> <program>`, config in
// PULUMI_CONFIG). Plugin discovery (GetRequiredPlugins/Packages) reports nothing: the only plugin a
// dynamic-provider program needs is pulumi-resource-pulumi-nodejs, which the engine finds on PATH.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The Node.js SDK's runner exits with this code after it has already shown the user the error;
// the engine must then stop without adding a second, generic message.
const exitCodeErrorAlreadyReported = 32

// Set at build time (-X main.hostVersion=...) to the CLI version it is built with.
var hostVersion = "3.0.0"

type nodeLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	engineAddress := engineAddressFromArgs(os.Args[1:])
	host := &nodeLanguageHost{engineAddress: engineAddress}
	// The CLI closes a plugin by sending it SIGINT and killing it 5 s later. A process started with
	// SIGINT ignored (a background step in a script without job control, as CI runs are) inherits the
	// ignore, and Go keeps it ignored unless the signal is asked for: every `pulumi up` then waited
	// those 5 s. Asking for SIGINT/SIGTERM here stops serving as soon as one arrives, as Pulumi's own
	// hosts do; the handler is dropped after the first so a second signal acts as the default would.
	signals, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cancelServing := make(chan bool)
	go func() {
		<-signals.Done()
		stopSignals()
		close(cancelServing)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelServing,
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// The engine passes optional logging/tracing flags first and its own address last.
func engineAddressFromArgs(args []string) string {
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--tracing" || arg == "-tracing" || arg == "--root" || arg == "-root" {
			i++ // these flags take a separate value
			continue
		}
		if strings.HasPrefix(arg, "-") {
			continue
		}
		positional = append(positional, arg)
	}
	if len(positional) == 0 {
		return ""
	}
	return positional[len(positional)-1]
}

func (host *nodeLanguageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.EngineAddress != "" {
		host.engineAddress = req.EngineAddress
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (host *nodeLanguageHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: hostVersion}, nil
}

func (host *nodeLanguageHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (host *nodeLanguageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (host *nodeLanguageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (host *nodeLanguageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodePath, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node was not found on PATH")
	}
	version, err := exec.Command(nodePath, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not run %s --version: %w", nodePath, err)
	}
	return &pulumirpc.AboutResponse{Executable: nodePath, Version: strings.TrimSpace(string(version))}, nil
}

// Dependencies are installed by the project's own npm commands; there is nothing to do here.
func (host *nodeLanguageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

func (host *nodeLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDirectory, entryPoint, rootDirectory := programLocation(req)
	options := runtimeOptions(req)

	runner, err := findSdkRunner(programDirectory)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	nodeArgs := strings.Fields(stringOption(options, "nodeargs", ""))
	args := append(nodeArgs, runner)
	args = append(args, runnerFlags(req, programDirectory, rootDirectory, host.engineAddress)...)
	args = append(args, entryPoint)
	args = append(args, req.Args...)

	env, err := programEnvironment(req, options)
	if err != nil {
		return nil, err
	}

	command := exec.CommandContext(ctx, "node", args...)
	command.Dir = programDirectory
	command.Env = env
	// The engine captures this host's stdout/stderr and shows them as the program's diagnostics.
	command.Stdout = os.Stdout
	command.Stderr = os.Stderr
	runErr := command.Run()
	if runErr == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(runErr, &exitErr) {
		if exitErr.ExitCode() == exitCodeErrorAlreadyReported {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", runErr)}, nil
}

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

func runtimeOptions(req *pulumirpc.RunRequest) map[string]any {
	if info := req.GetInfo(); info != nil && info.Options != nil {
		return info.Options.AsMap()
	}
	return map[string]any{}
}

func stringOption(options map[string]any, key, fallback string) string {
	if value, ok := options[key].(string); ok {
		return value
	}
	return fallback
}

func boolOption(options map[string]any, key string, fallback bool) bool {
	switch value := options[key].(type) {
	case bool:
		return value
	case string:
		parsed, err := strconv.ParseBool(value)
		if err == nil {
			return parsed
		}
	}
	return fallback
}

// Like Node's own resolution, the SDK may sit in any ancestor's node_modules.
func findSdkRunner(programDirectory string) (string, error) {
	directory, err := filepath.Abs(programDirectory)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(directory, "node_modules", "@pulumi", "pulumi", "cmd", "run")
		if _, statErr := os.Stat(filepath.Join(candidate, "index.js")); statErr == nil {
			return candidate, nil
		}
		parent := filepath.Dir(directory)
		if parent == directory {
			return "", fmt.Errorf(
				"it looks like the Pulumi SDK has not been installed: no node_modules/@pulumi/pulumi above %s; "+
					"run `npm install` in the project", programDirectory)
		}
		directory = parent
	}
}

func runnerFlags(req *pulumirpc.RunRequest, programDirectory, rootDirectory, engineAddress string) []string {
	flags := []string{"--monitor=" + req.MonitorAddress, "--pwd=" + programDirectory}
	if engineAddress != "" {
		flags = append(flags, "--engine="+engineAddress)
	}
	if req.Organization != "" {
		flags = append(flags, "--organization="+req.Organization)
	}
	if req.Project != "" {
		flags = append(flags, "--project="+req.Project)
	}
	if req.Stack != "" {
		flags = append(flags, "--stack="+req.Stack)
	}
	if rootDirectory != "" {
		flags = append(flags, "--root-directory="+rootDirectory)
	}
	if req.DryRun {
		flags = append(flags, "--dry-run")
	}
	if req.Parallel > 0 {
		flags = append(flags, "--parallel="+strconv.Itoa(int(req.Parallel)))
	}
	return flags
}

func programEnvironment(req *pulumirpc.RunRequest, options map[string]any) ([]string, error) {
	configJSON, err := json.Marshal(configOrEmpty(req.Config))
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
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(boolOption(options, "typescript", true)),
	)
	if tsconfig := stringOption(options, "tsconfig", ""); tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return env, nil
}

func configOrEmpty(config map[string]string) map[string]string {
	if config == nil {
		return map[string]string{}
	}
	return config
}
