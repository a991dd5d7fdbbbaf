# The two commands of the book. Both install the tools they need first.
.PHONY: serve test
serve: ## build the book and serve it at http://localhost:3000
	@scripts/serve.sh
test: ## run every check: the crate's tests, the ledger, the book's build, its examples, the browser check
	@scripts/test.sh
