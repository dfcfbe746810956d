// gonative-function is make bench's native reference: a Go function on function-sdk-go v0.5.0 that
// composes what ours composes for the bench's cases, written by hand as a Go function author would
// (tools/gotemplating-peer is the template-driven peer): typed objects of the providers' kinds
// (models/, generated from the upstream CRDs by scripts/generate-go-models.mjs, since the module
// proxy serves no provider Go module), each resource and what it keeps declared once and the
// Usages that order deletion derived from that (graph.go), the status read from what is observed,
// and the objects converted to unstructured as the SDK's composed.From does.
//
// It covers the bench's cases, a namespaced gke DevEnvironment (devenvironment.go, inside.go,
// registration.go, status.go) and a namespaced AppStack with an RDS database and ElastiCache-backed
// capabilities in an eks environment (appstack*.go), all observed ready; it refuses what else they
// can be rather than compose it wrongly, and composes every resource at once (ours waits for what
// each needs; on an observed-ready composite that is a lookup per need). Its input is the policy
// as ours resolves it. make bench checks that it composes exactly our resources, ready flags and
// status, so the comparison is of the same work.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	function "github.com/crossplane/function-sdk-go"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composite"
	"github.com/crossplane/function-sdk-go/response"
	"google.golang.org/protobuf/encoding/protojson"
	"k8s.io/apimachinery/pkg/runtime"
)

// composeInput is what a composer reads: the observed XR, the platform's policy, the observed
// composed resources, the resources Crossplane fetched for it, and the time.
type composeInput struct {
	xr       *composite.Unstructured
	policy   *policy
	observed map[resource.Name]resource.ObservedComposed
	required map[string][]resource.Required
	now      time.Time
}

// A composer builds the desired composed resources and the composite's status.
type composer func(in composeInput) (map[resource.Name]*resource.DesiredComposed, map[string]any, error)

// composers by composite kind; each file registers its own in init.
var composers = map[string]composer{}

// specOf reads the XR's spec into a typed struct.
func specOf(xr *composite.Unstructured, into any) error {
	spec, _ := xr.Object["spec"].(map[string]any)
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(spec, into); err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	return nil
}

// policyOf reads the function's input: the platform's resolved policy.
func policyOf(req *fnv1.RunFunctionRequest) (*policy, error) {
	p := &policy{}
	if req.GetInput() == nil {
		return p, nil
	}
	b, err := protojson.Marshal(req.GetInput())
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	return p, nil
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
	p, err := policyOf(req)
	if err != nil {
		return fatal(rsp, "cannot read the policy: %v", err)
	}
	observed, err := request.GetObservedComposedResources(req)
	if err != nil {
		return fatal(rsp, "cannot get the observed composed resources: %v", err)
	}
	required, err := request.GetRequiredResources(req)
	if err != nil {
		return fatal(rsp, "cannot get the required resources: %v", err)
	}
	in := composeInput{xr: xr.Resource, policy: p, observed: observed, required: required, now: time.Now()}
	desired, status, err := compose(in)
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
