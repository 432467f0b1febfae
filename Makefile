# The two commands a new user needs: `make demo` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CHECKPOINT_DISABLE := 1
# Our own CLI config everywhere terraform runs: the mirror once `make provider` has built it.
export TF_CLI_CONFIG_FILE := $(CURDIR)/dist/terraformrc
TSX := node --import=tsx
STACK := dodb-example
STACK_DIR := cdktf.out/stacks/$(STACK)

.PHONY: install generate check-generated typecheck lint build package-contents provider release synth hcl test test-long test-repeat test-load demo bench clean mutation

# npm runs the package's `prepare` (package-contents) after this install; built files depend on the
# install only by order, so that the touch below does not make them stale again.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

# npm's prepare and prepack call `make package-contents INSTALLED=$(TSC)`: after an install (`npm ci`,
# a git dependency) the tools are in place and nothing is installed again; in a fresh clone, where
# `npm pack /path/to/dodb` runs prepack before anything is installed, the rule below installs them.
INSTALLED ?= node_modules/.package-lock.json

# The tools are run from node_modules/.bin, never through npx: in a fresh clone npx would fetch an
# unrelated package named `tsc` from the registry (or refuse to) instead of failing clearly.
BIN := node_modules/.bin
TSC := $(BIN)/tsc
$(TSC):
	npm ci --no-audit --no-fund

# CDK_LIBRARY=cdktn writes the bindings for CDK Terrain under dist/cdktn-src/ (generated/ is cdktf's
# and stays as committed); the package ships both, compiled (dist/lib/, dist/cdktn/).
CDK_LIBRARY ?= cdktf
generate: install
	$(TSX) src/codegen/main.ts --cdk-library $(CDK_LIBRARY) $(if $(filter cdktn,$(CDK_LIBRARY)),--out dist/cdktn-src)

check-generated: install
	$(TSX) src/codegen/main.ts --check --cdk-library cdktf

typecheck: install
	$(TSC) --noEmit -p .

# The formatter's check (prettier, .prettierrc.json) and the TypeScript-aware linter (eslint.config.mjs).
lint: install
	npx prettier --check --log-level=warn .
	npx eslint .

# --alias: got's http2 option is never set, and the package it would load costs every start that makes
# an API request about 50 ms at load (src/api/without-http2-wrapper.ts).
# The provider's bundle keeps no function names: --keep-names wraps every function it makes at run time
# in a call that names it (85 ms of CPU in a 200-migration plan's working start). No provider code
# reads a function's name; the errors of src/errors.ts's family, named after their class, show minified
# names only in the stack of an internal-error log line, whose positions are minified anyway. The CLI
# keeps them, for the errors it prints.
# --inject/--define: Intl.ListFormat made on first use (src/api/lazy-list-format.ts): got's option checks
# make two at load, which loads ICU's locale data (~30 ms, 3.5 MB) for messages dodb never shows.
BUNDLE := $(BIN)/esbuild --bundle --minify --platform=node --target=node20 --format=cjs --log-level=warning \
  --alias:http2-wrapper=./src/api/without-http2-wrapper.ts \
  --inject:./src/api/lazy-list-format.ts --define:Intl.ListFormat=LazyListFormat
ESBUILD := $(BUNDLE) --keep-names "--banner:js=\#!/usr/bin/env node"

# The CLI and simulator as one file: the `dodb` bin.
dist/dodb.js: $(shell find src generated schema -type f) package.json package-lock.json | $(INSTALLED)
	$(ESBUILD) src/cli/main.ts --outfile=$@
	chmod +x $@

# The CDKTF bindings as the package ships them: CommonJS .js with .d.ts, one folder per construct.
dist/lib/index.js: $(shell find generated/cdktf -type f) tsconfig.json tsconfig.package.json package-lock.json | $(INSTALLED)
	rm -rf dist/lib
	$(TSC) -p tsconfig.package.json

# The same bindings for CDK Terrain (`dodb/cdktn/...`): generated from the same schema with cdktn as
# the CDK library, compiled the same way.
dist/cdktn/index.js: $(shell find schema src/codegen -type f) tsconfig.json tsconfig.package.json tsconfig.cdktn.json package-lock.json | $(INSTALLED)
	rm -rf dist/cdktn dist/cdktn-src
	$(TSX) src/codegen/main.ts --cdk-library cdktn --out dist/cdktn-src >/dev/null
	$(TSC) -p tsconfig.cdktn.json

# The provider's identity, from the file src/version.ts reads too: address, type name, platforms.
VERSION := $(shell node -p "require('./package.json').version")
IDENTITY = $(shell node -p "require('./src/identity.json').$(1)")
PLATFORMS := $(call IDENTITY,platforms.join(' '))
PROVIDER_NAME := terraform-provider-$(call IDENTITY,type)_v$(VERSION)
MIRROR_VERSION_DIR := dist/mirror/$(call IDENTITY,hostname)/$(call IDENTITY,namespace)/$(call IDENTITY,type)/$(VERSION)
PROVIDER_BIN := dist/provider/$(PROVIDER_NAME)
# The package: the executable, the launcher it starts, and the bundle.
PROVIDER_FILES := $(PROVIDER_NAME) launch.js provider.js
MIRROR_BINS := $(foreach p,$(PLATFORMS),$(MIRROR_VERSION_DIR)/$(p)/$(PROVIDER_NAME))

# The provider package, the same files for every platform: a shell script (see executable.sh) that
# starts launch.js, which runs provider.js through a V8 code cache that the first start writes.
$(PROVIDER_BIN): $(shell find src generated -type f) package.json package-lock.json | $(INSTALLED)
	mkdir -p $(@D)
	$(BUNDLE) src/provider/main.ts --outfile=$(@D)/provider.js
	$(BUNDLE) src/provider/launch.ts --outfile=$(@D)/launch.js
	cp src/tfplugin/wire/executable.sh $@
	chmod +x $@

# Laid out as a filesystem mirror for linux and darwin, amd64 and arm64.
$(MIRROR_VERSION_DIR)/%/$(PROVIDER_NAME): $(PROVIDER_BIN)
	mkdir -p $(@D)
	cp -p $(addprefix $(<D)/,$(PROVIDER_FILES)) $(@D)/

# The checkout's own CLI configuration (tests, demo): the one `dodb terraformrc` prints for this folder.
dist/terraformrc: dist/dodb.js $(MIRROR_BINS)
	node dist/dodb.js terraformrc --out $@ >/dev/null

provider: $(MIRROR_BINS) dist/terraformrc

# What the npm package ships (npm runs it as `prepare` and `prepack`): the bindings, the CLI, the mirror.
package-contents: dist/lib/index.js dist/cdktn/index.js dist/dodb.js $(MIRROR_BINS)

build: package-contents provider

# What a registry or a network mirror serves: per-platform zips, SHA256SUMS, the registry manifest,
# and the network-mirror layout (index.json, <version>.json with zh: hashes).
# GPG_KEY_ID=<key> signs SHA256SUMS (SHA256SUMS.sig, and the public key as signing-key.asc).
release: build
	$(TSX) src/release/main.ts --out dist/release $(if $(GPG_KEY_ID),--gpg-key $(GPG_KEY_ID))

synth: install
	rm -rf $(STACK_DIR)
	$(TSX) examples/cdktf/main.ts
	@echo "synth: wrote $(STACK_DIR)/cdk.tf.json"

hcl: install
	rm -rf $(STACK_DIR)
	SYNTH_HCL_OUTPUT=true $(TSX) examples/cdktf/main.ts
	TF_CLI_CONFIG_FILE=/dev/null terraform fmt $(STACK_DIR)/cdk.tf >/dev/null
	@echo "hcl: wrote $(STACK_DIR)/cdk.tf"

# The checks and the build are independent of each other: make runs them side by side (the install
# they share runs once), then the tests.
test: install
	$(MAKE) --no-print-directory --output-sync=target -j3 check-generated typecheck lint build
	npx ava $(AVA_FLAGS)

# The tests that take minutes (test/long/: the 30-migration scale test, 100 client cycles under a fault
# mix, a fresh clone's npm pack, an install from git, the packed package in cdktf projects at both ends
# of the peer ranges, the README's cdktf install, cdktn under Node 22); .ci/run runs them after `make test`.
test-long: build
	npx ava --config ava.long.config.mjs $(AVA_FLAGS)

# Finding flaky tests: the suite N times in a row, stopping at the first failing run and printing what
# failed (`make test-repeat N=10`); test-load does the same beside a busy loop on every core. FILES
# narrows either to some test files: make test-repeat N=10 FILES=test/cli/cli.test.ts
test-repeat: N = 5
test-repeat: build
	.ci/test-repeat $(N) $(FILES)

test-load: N = 3
test-load: build
	.ci/test-repeat --load $(N) $(FILES)

# The main job: the example stack through init, plan, apply and destroy against the embedded simulator.
demo: build
	$(TSX) examples/cdktf/demo.ts

bench: build
	$(TSX) bench/main.ts

clean:
	rm -rf dist cdktf.out .tmp

# Mutation testing (StrykerJS, stryker.config.mjs): one module at a time against its fast tests,
# a score and a run time per module (`make mutation MODULES="status duration"` for some). Minutes of
# CPU: not part of `make test`.
mutation: install
	node test/mutation/run.mjs $(MODULES)
