// gonative-function is make bench's native reference: a Go function on function-sdk-go v0.5.0 that
// composes what ours composes for the bench's cases from Go code, not from a template (that is
// tools/gotemplating-peer). The composing code, cases.go, is written for each bench run from our
// function's response by scripts/bench/native-source.mjs, as a person would write it by hand: map
// literals for what is fixed, the XR's name, namespace and spec strings read from the observed XR and
// concatenated where ours uses them. So the run measures what Go costs to decode the request, build
// those objects and encode the response through the SDK, which is what a hand-written function pays;
// it says nothing about the effort of writing or keeping such code. make bench checks that it
// composes exactly our resources, ready flags and status.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	function "github.com/crossplane/function-sdk-go"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"github.com/crossplane/function-sdk-go/response"
)

// A composer builds the desired composed resources and the composite's status for an observed XR.
type composer func(xr *resource.Composite) (map[resource.Name]*resource.DesiredComposed, map[string]any, error)

// desiredOf wraps an object built in code as a desired composed resource.
func desiredOf(object map[string]any, ready resource.Ready) *resource.DesiredComposed {
	d := resource.NewDesiredComposed()
	d.Resource = &composed.Unstructured{}
	d.Resource.Object = object
	d.Ready = ready
	return d
}

// specString reads a string field of the XR's spec.
func specString(xr *resource.Composite, field string) string {
	s, _ := xr.Resource.GetString("spec." + field)
	return s
}

type nativeFunction struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func fatal(rsp *fnv1.RunFunctionResponse, format string, args ...any) (*fnv1.RunFunctionResponse, error) {
	response.Fatal(rsp, fmt.Errorf(format, args...))
	return rsp, nil
}

func (nativeFunction) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)
	xr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		return fatal(rsp, "cannot get the observed composite: %v", err)
	}
	compose, ok := composers[xr.Resource.GetKind()]
	if !ok {
		return fatal(rsp, "no composer for %s", xr.Resource.GetKind())
	}
	desired, status, err := compose(xr)
	if err != nil {
		return fatal(rsp, "cannot compose: %v", err)
	}
	desiredXR, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		return fatal(rsp, "cannot get the desired composite: %v", err)
	}
	if len(status) > 0 {
		if err := desiredXR.Resource.SetValue("status", status); err != nil {
			return fatal(rsp, "cannot set the composite's status: %v", err)
		}
	}
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		return fatal(rsp, "cannot set the desired composed resources: %v", err)
	}
	if err := response.SetDesiredCompositeResource(rsp, desiredXR); err != nil {
		return fatal(rsp, "cannot set the desired composite: %v", err)
	}
	return rsp, nil
}

func main() {
	address := flag.String("address", "0.0.0.0:9443", "address to serve on")
	certs := flag.String("tls-server-certs-dir", "", "directory with tls.crt, tls.key and ca.crt")
	insecure := flag.Bool("insecure", false, "serve without mTLS")
	metrics := flag.String("metrics-address", ":8080", "Prometheus metrics address (the SDK's default); empty turns it off")
	flag.Parse()
	err := function.Serve(nativeFunction{},
		function.Listen("tcp", *address),
		function.MTLSCertificates(*certs),
		function.Insecure(*insecure),
		function.WithMetricsServer(*metrics))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
