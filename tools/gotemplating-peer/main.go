// gotemplating-peer is the Go function make bench compares ours with. It does per request what
// crossplane-contrib/function-go-templating does with an inline template (that module cannot be
// fetched here: the Go module proxy refuses every version of it), on the same SDK
// (function-sdk-go v0.5.0):
//   - read the template from the input (apiVersion gotemplating.fn.crossplane.io/v1beta1, kind
//     GoTemplate, source Inline, inline.template) and parse it;
//   - turn the whole request into a map (protojson, then encoding/json) and execute the template on it;
//   - decode the rendered YAML documents; a document of the composite's kind without a name
//     annotation merges into the desired composite's status, every other one needs the annotation
//     gotemplating.fn.crossplane.io/composition-resource-name and may carry .../ready;
//   - add them to the desired composed resources and return.
//
// It leaves out sprig's template functions, the filesystem source and the meta kinds (context,
// connection details, extra resources), which make bench's template does not use.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/template"

	"google.golang.org/protobuf/encoding/protojson"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"

	function "github.com/crossplane/function-sdk-go"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"
)

const (
	nameAnnotation  = "gotemplating.fn.crossplane.io/composition-resource-name"
	readyAnnotation = "gotemplating.fn.crossplane.io/ready"
)

type templateFunction struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func fatal(rsp *fnv1.RunFunctionResponse, format string, args ...any) (*fnv1.RunFunctionResponse, error) {
	response.Fatal(rsp, fmt.Errorf(format, args...))
	return rsp, nil
}

func (templateFunction) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := response.To(req, response.DefaultTTL)

	source, _ := req.GetInput().AsMap()["inline"].(map[string]any)
	text, ok := source["template"].(string)
	if !ok {
		return fatal(rsp, "input: inline.template must be a string")
	}
	tmpl, err := template.New("inline").Option("missingkey=default").Parse(text)
	if err != nil {
		return fatal(rsp, "cannot parse the template: %v", err)
	}

	asJSON, err := protojson.Marshal(req)
	if err != nil {
		return fatal(rsp, "cannot marshal the request to JSON: %v", err)
	}
	var values map[string]any
	if err := json.Unmarshal(asJSON, &values); err != nil {
		return fatal(rsp, "cannot unmarshal the request: %v", err)
	}
	rendered := &bytes.Buffer{}
	if err := tmpl.Execute(rendered, values); err != nil {
		return fatal(rsp, "cannot execute the template: %v", err)
	}

	observedXR, err := request.GetObservedCompositeResource(req)
	if err != nil {
		return fatal(rsp, "cannot get the observed composite: %v", err)
	}
	desiredXR, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		return fatal(rsp, "cannot get the desired composite: %v", err)
	}
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		return fatal(rsp, "cannot get the desired composed resources: %v", err)
	}

	decoder := yaml.NewYAMLOrJSONDecoder(rendered, 1024)
	for {
		obj := &unstructured.Unstructured{}
		if err := decoder.Decode(&obj.Object); err != nil {
			if err == io.EOF {
				break
			}
			return fatal(rsp, "cannot decode a rendered document: %v", err)
		}
		if obj.Object == nil {
			continue
		}
		annotations := obj.GetAnnotations()
		name, named := annotations[nameAnnotation]
		if !named && obj.GetAPIVersion() == observedXR.Resource.GetAPIVersion() && obj.GetKind() == observedXR.Resource.GetKind() {
			status, _, _ := unstructured.NestedMap(obj.Object, "status")
			current, _, _ := unstructured.NestedMap(desiredXR.Resource.Object, "status")
			if current == nil {
				current = map[string]any{}
			}
			for k, v := range status {
				current[k] = v
			}
			if err := unstructured.SetNestedMap(desiredXR.Resource.Object, current, "status"); err != nil {
				return fatal(rsp, "cannot set the composite's status: %v", err)
			}
			continue
		}
		if !named {
			return fatal(rsp, "a %s document has no %s annotation", obj.GetKind(), nameAnnotation)
		}
		composed := resource.NewDesiredComposed()
		if ready, ok := annotations[readyAnnotation]; ok {
			composed.Ready = resource.Ready(ready)
		}
		delete(annotations, nameAnnotation)
		delete(annotations, readyAnnotation)
		if len(annotations) == 0 {
			unstructured.RemoveNestedField(obj.Object, "metadata", "annotations")
		} else {
			obj.SetAnnotations(annotations)
		}
		composed.Resource.Unstructured = *obj
		desired[resource.Name(name)] = composed
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
	err := function.Serve(templateFunction{},
		function.Listen("tcp", *address),
		function.MTLSCertificates(*certs),
		function.Insecure(*insecure),
		function.WithMetricsServer(*metrics))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
