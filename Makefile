# Thin aliases for the npm scripts; `make run` and `make test` are the README's quick start.
.PHONY: install build check test run notebook bench clean

install: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

build: install
	npm run build

check: install
	npm run check

test: install
	@bash scripts/ensure-jupyter.sh || true
	npm test

run: install
	npm run demo

notebook: install
	@bash scripts/ensure-jupyter.sh
	npm run build
	node dist/kernel/cli.js kernel install --user
	jupyter notebook --ip 127.0.0.1 --notebook-dir notebooks

bench: install
	npm run bench

clean:
	rm -rf dist demo notebooks/out
