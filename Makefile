# function-devplatform. The two commands a newcomer runs: `make render` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# One Node.js for everything make runs (npm, tsc, jest, the function, the e2e): the one the runtime
# image ships (the `node` line of image/runtime.lock), fetched once from the npm registry into the cache
# by scripts/runtime-node.sh. What the tests exercise is what runs in production, whatever Node.js the
# machine has; the machine's own node only runs npm to fetch it. package.json's engines states the
# range that every dependency supports (test/package/node-engines.test.ts keeps them in agreement).
RUNTIME_NODE := $(shell scripts/runtime-node.sh)
$(if $(RUNTIME_NODE),,$(error scripts/runtime-node.sh could not provide the runtime image's Node.js; see its message above))
export PATH := $(patsubst %/,%,$(dir $(RUNTIME_NODE))):$(PATH)

# Upstream CRDs used for generation and validation (see README.md, "Schemas"): CRDS_DIR if set, else
# ../shared/crds where it exists, else the checked copies `make crds` fetches into the cache, which
# the targets that need them fetch first (WITH_CRDS).
CRDS_DIR ?= $(if $(wildcard ../shared/crds),../shared/crds,)
export CRDS_DIR
WITH_CRDS = $(if $(CRDS_DIR),,CRDS_DIR="$$(node scripts/crds.mjs)" && export CRDS_DIR &&)

# `npm install` with the committed lock (every version pinned exactly), not `npm ci`: the registry
# mirror here lacks other platforms' optional binaries (swc, unrs-resolver), so a lock made here
# cannot list them and `npm ci` rejects it as out of sync.
node_modules: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch node_modules

# Backstage's own packages (backstage/package.json, its own lock), kept out of the function's
# runtime: test/templates.test.ts validates and dry-runs the software templates with them.
backstage/node_modules: backstage/package.json backstage/package-lock.json
	npm install --prefix backstage --no-audit --no-fund
	@touch backstage/node_modules

.PHONY: help
help: ## List the targets.
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

.PHONY: node
node: ## Print the Node.js make runs everything on (the runtime image's).
	@echo "$$(command -v node) $$(node --version)"

.PHONY: build
build: node_modules ## Compile the function into dist/.
	npm run build

.PHONY: crossplane
crossplane: ## Build the pinned Crossplane CLI into the cache (once).
	@scripts/install-go-tool.sh crossplane

.PHONY: render
render: build ## Render every example with the real Crossplane CLI and validate the output.
	$(WITH_CRDS) node scripts/render.mjs

.PHONY: crds
crds: node_modules ## Fetch the pinned upstream schemas (schemas/crds.lock.json), checksum-checked, into the cache.
	node scripts/crds.mjs

.PHONY: lint
lint: node_modules ## Type-check, lint and check formatting.
	npm run typecheck
	npm run lint
	npm run format:check

.PHONY: unit
unit: node_modules backstage/node_modules ## Run the jest suites.
	npm test

.PHONY: test
test: lint build backstage/node_modules ## Everything CI runs: lint, format, jest (which also runs the make render pipeline), then make e2e.
	$(WITH_CRDS) npm test && node scripts/e2e.mjs

.PHONY: templates
templates: build ## Regenerate the Backstage software templates in backstage/templates/ from the XRDs and the policy.
	node scripts/templates.mjs

# Backstage's frontend (backstage/form/package.json, its own lock) and Debian's Chromium, only for
# make screenshots: not part of make test (600 MB of packages and a browser for three pictures).
backstage/form/node_modules: backstage/form/package.json backstage/form/package-lock.json
	npm install --prefix backstage/form --no-audit --no-fund
	@touch backstage/form/node_modules

.PHONY: screenshots
screenshots: backstage/form/node_modules ## Screenshots of the Backstage forms in Chromium (docs/images/), and what they submit (backstage/form/submitted/).
	@command -v chromium >/dev/null || { echo "make screenshots: installing Debian's chromium"; \
	  apt-get install -y --no-install-recommends chromium || { apt-get update && apt-get install -y --no-install-recommends chromium; }; }
	node backstage/form/screenshots.mjs

.PHONY: e2e
e2e: build ## Crossplane core, etcd and kube-apiserver for real (built from pinned Go modules) install our packages from a registry and reconcile the examples through the function.
	$(WITH_CRDS) node scripts/e2e.mjs

.PHONY: fuzz
fuzz: build ## Attack the built server with 10,000 generated requests (FUZZ_ARGS="--seed N --count N").
	node scripts/fuzz.mjs $(FUZZ_ARGS)

.PHONY: bench
bench: build ## Time the function in process and over gRPC, with CPU time per request (beside the floors, two Go functions and the harness ceiling) on the runtime image's Node.js.
	node scripts/bench.mjs

.PHONY: properties
properties: node_modules ## Property tests at nightly size: RUNS random states per case (default 5000), SEED shifts the seed.
	PROPERTY_RUNS=$(or $(RUNS),5000) PROPERTY_SEED=$(or $(SEED),0) npm test -- properties

.PHONY: xpkg
xpkg: build ## Build the Function (with its runtime image) and Configuration packages into _output/.
	node scripts/build-packages.mjs

.PHONY: generate
generate: node_modules ## Regenerate functions/models/ (and the native Go reference's tools/gonative-function/models/) from CRDS_DIR, apis/ and package/input/.
	$(WITH_CRDS) npm run generate

.PHONY: clean
clean: ## Remove build output.
	rm -rf dist _output
