# The two commands a new user needs: `make demo` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export CHECKPOINT_DISABLE := 1
# Our own CLI config everywhere terraform runs: the mirror once `make provider` has built it.
export TF_CLI_CONFIG_FILE := $(CURDIR)/dist/terraformrc
TSX := node --import=tsx
STACK := dodb-example
STACK_DIR := cdktf.out/stacks/$(STACK)

.PHONY: install generate check-generated typecheck build provider synth hcl test demo bench clean

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

generate: install
	$(TSX) src/codegen/main.ts

check-generated: install
	$(TSX) src/codegen/main.ts --check

typecheck: install
	npx tsc --noEmit -p .

ESBUILD := npx esbuild --bundle --minify --keep-names --platform=node --target=node20 --format=cjs --log-level=warning "--banner:js=\#!/usr/bin/env node"

# The CLI and simulator as one file: the `dodb` bin.
dist/dodb.js: node_modules/.package-lock.json $(shell find src generated schema -type f) package.json
	$(ESBUILD) src/cli/main.ts --outfile=$@
	chmod +x $@

VERSION := $(shell node -p "require('./package.json').version")
PROVIDER_DIR := dist/mirror/registry.terraform.io/dodb/dodb/$(VERSION)/linux_amd64
PROVIDER_BIN := $(PROVIDER_DIR)/terraform-provider-dodb_v$(VERSION)

# The provider as one executable file, laid out as a filesystem mirror, and a CLI config using it.
$(PROVIDER_BIN): node_modules/.package-lock.json $(shell find src generated -type f) package.json
	mkdir -p $(PROVIDER_DIR)
	$(ESBUILD) src/provider/main.ts --outfile=$@
	chmod +x $@

dist/terraformrc: Makefile
	mkdir -p dist
	printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/dodb/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/dodb/*"]\n  }\n}\n' "$(CURDIR)/dist/mirror" > $@

provider: $(PROVIDER_BIN) dist/terraformrc

build: dist/dodb.js provider

synth: install
	rm -rf $(STACK_DIR)
	$(TSX) examples/cdktf/main.ts
	@echo "synth: wrote $(STACK_DIR)/cdk.tf.json"

hcl: install
	rm -rf $(STACK_DIR)
	SYNTH_HCL_OUTPUT=true $(TSX) examples/cdktf/main.ts
	TF_CLI_CONFIG_FILE=/dev/null terraform fmt $(STACK_DIR)/cdk.tf >/dev/null
	@echo "hcl: wrote $(STACK_DIR)/cdk.tf"

test: check-generated typecheck build
	npx ava $(AVA_FLAGS)

# The main job: the example stack through init, plan, apply and destroy against the embedded simulator.
demo: build
	$(TSX) examples/cdktf/demo.ts

bench: build
	$(TSX) bench/main.ts

clean:
	rm -rf dist cdktf.out .tmp
