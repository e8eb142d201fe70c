package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// InstallDependencies is `pulumi install`: it creates the project's virtualenv when missing and
// installs requirements.txt into it with pip, streaming pip's output to the engine. Without a
// virtualenv option nothing is installed into the system's Python; the user is told so.
func (host *pythonLanguageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	say := func(format string, args ...any) error {
		return stream.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(fmt.Sprintf(format+"\n", args...))})
	}
	virtualenv, err := virtualenvOption(req.GetInfo())
	if err != nil {
		return err
	}
	if virtualenv == "" {
		return say("no virtualenv runtime option in Pulumi.yaml: install the program's requirements into your Python yourself")
	}
	rootDirectory := req.Directory
	if info := req.GetInfo(); info != nil && info.RootDirectory != "" {
		rootDirectory = info.RootDirectory
	}

	python := filepath.Join(virtualenv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		system, err := systemPython()
		if err != nil {
			return err
		}
		if err := say("creating virtualenv %s", virtualenv); err != nil {
			return err
		}
		if err := streamCommand(stream, rootDirectory, system.executable, "-m", "venv", virtualenv); err != nil {
			return fmt.Errorf("could not create the virtualenv %s: %w", virtualenv, err)
		}
	}
	requirements := filepath.Join(rootDirectory, "requirements.txt")
	if _, err := os.Stat(requirements); err != nil {
		return say("no requirements.txt in %s: nothing to install", rootDirectory)
	}
	if err := say("installing requirements.txt into %s", virtualenv); err != nil {
		return err
	}
	if err := streamCommand(stream, rootDirectory, python, "-m", "pip", "install", "--disable-pip-version-check", "-r", requirements); err != nil {
		return fmt.Errorf("pip install -r requirements.txt failed: %w", err)
	}
	return nil
}

// streamWriter forwards a command's output to the engine as it comes.
type streamWriter struct {
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]
	stderr bool
}

func (w streamWriter) Write(data []byte) (int, error) {
	chunk := append([]byte(nil), data...)
	response := &pulumirpc.InstallDependenciesResponse{Stdout: chunk}
	if w.stderr {
		response = &pulumirpc.InstallDependenciesResponse{Stderr: chunk}
	}
	if err := w.stream.Send(response); err != nil {
		return 0, err
	}
	return len(data), nil
}

func streamCommand(
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse], directory, name string, args ...string,
) error {
	command := exec.CommandContext(stream.Context(), name, args...)
	command.Dir = directory
	command.Stdout = streamWriter{stream: stream}
	command.Stderr = streamWriter{stream: stream, stderr: true}
	return command.Run()
}
