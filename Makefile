# Thin aliases for the npm scripts; `make run` and `make test` are the README's quick start.
.PHONY: install build check test run demo notebook bench bench-http clean

install: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

build: install
	npm run build

check: install
	npm run check

test: install
	@bash scripts/ensure-system.sh || true
	npm test

run: install
	@bash scripts/ensure-system.sh
	npm run tutorial

demo: install
	npm run demo

notebook: install
	@bash scripts/ensure-system.sh
	npm run build
	node dist/lib/cli/main.js kernel install --user
	node -e "require('./dist/kernel/run-notebook').linkPackageInto('notebooks')"
	jupyter notebook --ip 127.0.0.1 --notebook-dir notebooks

bench: install
	npm run bench

# httpFunction against a local nginx, with autocannon and wrk (Debian: nginx-light wrk)
bench-http: install
	npm run bench:http

clean:
	rm -rf dist demo notebooks/out
