// pulumi-language-python: a small Python language host for the `pulumi` CLI.
//
// Why it exists: the upstream host is a Go module the module proxy reachable here does not serve,
// and the `pulumi` package on PyPI carries the Python runtime but neither the host nor the small
// script that starts a program. This host speaks the same LanguageRuntime gRPC protocol as the
// Node.js one next to it (../language-host): Run starts the program with a Python interpreter
// (the project's virtualenv when Pulumi.yaml names one) through run_program.py, our own start-up
// glue; GeneratePackage (what `pulumi package gen-sdk --language python` calls) hands the schema to
// Pulumi's own Python code generator from the pkg/v3 module the CLI is built from.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Set at build time (-X main.hostVersion=...) to the CLI version it is built with.
var hostVersion = "3.0.0"

type pythonLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	host := &pythonLanguageHost{engineAddress: engineAddressFromArgs(os.Args[1:])}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
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

func (host *pythonLanguageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.EngineAddress != "" {
		host.engineAddress = req.EngineAddress
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (host *pythonLanguageHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: hostVersion}, nil
}

// Providers are found by the engine when the program registers their resources: through the
// project's `plugins: providers` paths, or on PATH. Nothing is downloaded here, so nothing is listed.
func (host *pythonLanguageHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (host *pythonLanguageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (host *pythonLanguageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (host *pythonLanguageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	interpreter, err := findInterpreter(req.GetInfo())
	if err != nil {
		return nil, err
	}
	version, err := exec.Command(interpreter.executable, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not run %s --version: %w", interpreter.executable, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: interpreter.executable,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(version)), "Python "),
	}, nil
}

// Errors the program already showed the user end it with this code, so Run bails without adding a
// second, generic message (run_program.py uses it the same way).
const exitCodeErrorAlreadyReported = 32

func (host *pythonLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDirectory, entryPoint, rootDirectory := programLocation(req)
	interpreter, err := findInterpreter(req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := programEnvironment(req, interpreter)
	if err != nil {
		return nil, err
	}

	args := []string{"-u", "-c", runProgramScript}
	args = append(args, runnerFlags(req, programDirectory, rootDirectory, host.engineAddress)...)
	args = append(args, entryPoint)
	args = append(args, req.Args...)

	command := exec.CommandContext(ctx, interpreter.executable, args...)
	command.Dir = programDirectory
	command.Env = env
	// The engine captures this host's stdout/stderr and shows them as the program's output.
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
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Problem executing program (could not run %s): %v", interpreter.executable, runErr),
	}, nil
}
