// Command xrd-validate checks objects against the schemas of Crossplane XRDs with the Kubernetes API
// server's own code: pruning of unknown fields, dropping of non-nullable nulls, defaulting, OpenAPI
// validation and CEL rules (x-kubernetes-validations), transition rules included when an old object
// is given, as on an update.
//
// Input on stdin, JSON: {"xrds": ["path", ...], "cases": [{"name": "...", "object": {...}, "old": {...}}]}
// Output on stdout, JSON: [{"name": "...", "errors": ["spec.type: Invalid value: ...", ...], "pruned": [...]}]
// An object is matched to its XRD by group and kind (the composite kind, or the claim kind).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

type input struct {
	XRDs  []string `json:"xrds"`
	Cases []struct {
		Name   string                 `json:"name"`
		Object map[string]interface{} `json:"object"`
		Old    map[string]interface{} `json:"old,omitempty"`
	} `json:"cases"`
}

type result struct {
	Name   string   `json:"name"`
	Errors []string `json:"errors"`
	Pruned []string `json:"pruned"`
}

// xrd is the part of a CompositeResourceDefinition this needs.
type xrd struct {
	Spec struct {
		Group      string                 `json:"group"`
		Names      struct{ Kind string }  `json:"names"`
		ClaimNames *struct{ Kind string } `json:"claimNames"`
		Versions   []struct {
			Name   string `json:"name"`
			Schema struct {
				OpenAPIV3Schema apiextensionsv1.JSONSchemaProps `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

// schemaSet is what validating one kind at one version needs.
type schemaSet struct {
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// crossplaneSpecFields are the spec fields Crossplane adds to every XR's (and claim's) CRD beside the
// XRD's own: v2 XRs keep them under spec.crossplane, legacy XRs and claims at spec level. Their
// schemas are Crossplane's business: here they are kept as they come, not pruned.
var crossplaneSpecFields = map[string]string{
	"crossplane":                  "object",
	"claimRef":                    "object",
	"compositionRef":              "object",
	"compositionSelector":         "object",
	"compositionRevisionRef":      "object",
	"compositionRevisionSelector": "object",
	"compositionUpdatePolicy":     "string",
	"compositeDeletePolicy":       "string",
	"resourceRef":                 "object",
	"resourceRefs":                "array",
	"writeConnectionSecretToRef":  "object",
	"publishConnectionDetailsTo":  "object",
}

// resourceSchema is the XRD's schema as a resource's: apiVersion, kind and metadata beside spec and
// status, and Crossplane's own spec fields beside the XRD's.
func resourceSchema(in apiextensionsv1.JSONSchemaProps) (*apiextensions.JSONSchemaProps, error) {
	if in.Properties == nil {
		in.Properties = map[string]apiextensionsv1.JSONSchemaProps{}
	}
	in.Type = "object"
	in.Properties["apiVersion"] = apiextensionsv1.JSONSchemaProps{Type: "string"}
	in.Properties["kind"] = apiextensionsv1.JSONSchemaProps{Type: "string"}
	in.Properties["metadata"] = apiextensionsv1.JSONSchemaProps{Type: "object"}
	if spec, ok := in.Properties["spec"]; ok {
		preserve := true
		for name, typ := range crossplaneSpecFields {
			if _, taken := spec.Properties[name]; taken {
				continue
			}
			field := apiextensionsv1.JSONSchemaProps{Type: typ}
			switch typ {
			case "object":
				field.XPreserveUnknownFields = &preserve
			case "array":
				field.Items = &apiextensionsv1.JSONSchemaPropsOrArray{Schema: &apiextensionsv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: &preserve}}
			}
			spec.Properties[name] = field
		}
		in.Properties["spec"] = spec
	}
	out := &apiextensions.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(&in, out, nil); err != nil {
		return nil, err
	}
	return out, nil
}

func load(paths []string) (map[string]schemaSet, error) {
	sets := map[string]schemaSet{}
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var d xrd
		if err := yaml.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, v := range d.Spec.Versions {
			internal, err := resourceSchema(v.Schema.OpenAPIV3Schema)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", path, v.Name, err)
			}
			structural, err := structuralschema.NewStructural(internal)
			if err != nil {
				return nil, fmt.Errorf("%s %s: not a structural schema: %w", path, v.Name, err)
			}
			validator, _, err := apiservervalidation.NewSchemaValidator(internal)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", path, v.Name, err)
			}
			set := schemaSet{structural, validator, cel.NewValidator(structural, true, celconfig.PerCallLimit)}
			apiVersion := d.Spec.Group + "/" + v.Name
			sets[apiVersion+"/"+d.Spec.Names.Kind] = set
			if d.Spec.ClaimNames != nil {
				sets[apiVersion+"/"+d.Spec.ClaimNames.Kind] = set
			}
		}
	}
	return sets, nil
}

// admit does to an object what the API server does before validating it.
func admit(obj map[string]interface{}, s *structuralschema.Structural) []string {
	pruned := structuralpruning.PruneWithOptions(obj, s, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	if pruned == nil {
		pruned = []string{}
	}
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, s)
	structuraldefaulting.Default(obj, s)
	return pruned
}

func errorsOf(list field.ErrorList) []string {
	out := []string{}
	for _, e := range list {
		out = append(out, strings.TrimPrefix(e.Error(), "<nil>."))
	}
	return out
}

func run() error {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("reading the cases: %w", err)
	}
	sets, err := load(in.XRDs)
	if err != nil {
		return err
	}
	results := []result{}
	for _, c := range in.Cases {
		key := fmt.Sprintf("%v/%v", c.Object["apiVersion"], c.Object["kind"])
		set, ok := sets[key]
		if !ok {
			return fmt.Errorf("case %q: no XRD serves %s", c.Name, key)
		}
		r := result{Name: c.Name, Pruned: admit(c.Object, set.structural)}
		var old interface{}
		var errs field.ErrorList
		if c.Old != nil {
			admit(c.Old, set.structural)
			old = c.Old
			errs = apiservervalidation.ValidateCustomResourceUpdate(nil, c.Object, c.Old, set.validator)
		} else {
			errs = apiservervalidation.ValidateCustomResource(nil, c.Object, set.validator)
		}
		if set.cel != nil {
			celErrs, _ := set.cel.Validate(context.Background(), nil, set.structural, c.Object, old, celconfig.RuntimeCELCostBudget)
			errs = append(errs, celErrs...)
		}
		r.Errors = errorsOf(errs)
		results = append(results, r)
	}
	return json.NewEncoder(os.Stdout).Encode(results)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "xrd-validate: %v\n", err)
		os.Exit(1)
	}
}
