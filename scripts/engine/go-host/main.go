// pulumi-language-go: a small Go language host for the `pulumi` CLI.
//
// Why it exists: the upstream host (module github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3) is
// not served by the Go module proxy reachable here, like the Node.js and Python hosts next to it.
// GeneratePackage (`pulumi package gen-sdk --language go`) hands the schema to Pulumi's own Go code
// generator (pkg/v3/codegen/go); Run builds the program with the `go` toolchain and runs the binary
// with the environment the Go SDK's pulumi.Run reads (sdk/v3/go/pulumi/run.go).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Set at build time (-X main.hostVersion=...) to the CLI version it is built with.
var hostVersion = "3.0.0"

type goLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	host := &goLanguageHost{}
	for _, arg := range os.Args[1:] {
		if len(arg) > 0 && arg[0] != '-' {
			host.engineAddress = arg // the engine passes its address last, after optional flags
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: could not start gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: %v\n", err)
		os.Exit(1)
	}
}

func (host *goLanguageHost) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.EngineAddress != "" {
		host.engineAddress = req.EngineAddress
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (host *goLanguageHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: hostVersion}, nil
}

// Providers are found by the engine when the program registers their resources (installed plugins,
// `plugins: providers` paths, PATH); nothing is downloaded, so nothing is listed.
func (host *goLanguageHost) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (host *goLanguageHost) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (host *goLanguageHost) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (host *goLanguageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return nil
}

func (host *goLanguageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDirectory, rootDirectory := req.Pwd, req.Pwd
	if info := req.GetInfo(); info != nil {
		if info.ProgramDirectory != "" {
			programDirectory = info.ProgramDirectory
		}
		if info.RootDirectory != "" {
			rootDirectory = info.RootDirectory
		}
	}
	buildDir, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(buildDir)
	binary := filepath.Join(buildDir, "program")
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, ".")
	build.Dir = programDirectory
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not build the Go program in %s: %v", programDirectory, err)}, nil
	}

	config := req.Config
	if config == nil {
		config = map[string]string{}
	}
	configJSON, _ := json.Marshal(config)
	secretKeys := req.ConfigSecretKeys
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, _ := json.Marshal(secretKeys)
	command := exec.CommandContext(ctx, binary, req.Args...)
	command.Dir = programDirectory
	command.Env = append(os.Environ(),
		"PULUMI_MONITOR="+req.MonitorAddress,
		"PULUMI_ENGINE="+host.engineAddress,
		"PULUMI_PROJECT="+req.Project,
		"PULUMI_STACK="+req.Stack,
		"PULUMI_ORGANIZATION="+req.Organization,
		"PULUMI_ROOT_DIRECTORY="+rootDirectory,
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.DryRun),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.Parallel)),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	command.Stdout, command.Stderr = os.Stdout, os.Stderr
	runErr := command.Run()
	var exitErr *exec.ExitError
	switch {
	case runErr == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(runErr, &exitErr):
		// The Go SDK has already reported the error through the engine.
		return &pulumirpc.RunResponse{Bail: true}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Go program: %v", runErr)}, nil
	}
}
