# The two commands of README.md: `make serve` and `make test`. Both install what is missing first.
.PHONY: setup build serve dev test

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

# The release bundle at http://127.0.0.1:8421/
serve: build
	node scripts/serve.mjs dist 8421

# Contributors: rebuild and reload on change (debug build) at http://127.0.0.1:8421/
dev: setup
	PATH="$(CURDIR)/node_modules/.bin:$$PATH" trunk serve

test:
	bash scripts/test.sh
