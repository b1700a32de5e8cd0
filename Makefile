# cluster_marts — every target installs what it needs into .venv first.
#   make build   install, generate demo data if absent, dbt build, publish (when every test passed), workbench HTML reports
#   make build VARS='{customer_orders_path: /abs/orders.csv, customer_orders_columns: {ordered_at: order_date},
#                     cluster_marts_domains: [customers]}'
#                your own data: VARS are the dbt vars of the build (the demo's file paths are not passed and no
#                demo data is written); build, publish and reports cover the domains of cluster_marts_domains
#   make publish copy the marts of the last clean dbt build into the serving warehouse BI reads
#   make test    install, lint (ruff, import layers, duplicated code, sqlfluff), pytest (unit), dbt build + tests, Great Expectations, then
#                pytest (integration) beside the Spark suite (make test-spark: engine on Spark DataFrames, parity of the Spark build with DuckDB)
#   make build-spark  the whole project on a local SparkSession (cluster-marts build --target spark)
#   make bench-spark  score every customer of the bench warehouse on the DuckDB path and on Spark local[2]
#   make report  the report site under reports/ (index and a page per domain the build had on; after build)
#   make export  customer segment profiles as JSON + YAML for people and LLMs (after build)
#   make snapshot SNAPSHOT_DATE=2026-11-30   take (or retake) one membership snapshot
#   make snapshot-retention                  delete snapshots older than their retention
#   make snapshot-customers CUSTOMERS="a b"   a snapshot now of those customers (customer_on_demand_snapshots)
#   make bench   stage-by-stage timings vs a plain pandas/scikit-learn baseline (scale BENCH_SCALE, default large)
#   make bench SCALE=100k | SCALE=1m | SCALE=5m   the scale series: quality vs planted truth, single-axis race, targets
#                [BENCH_RAW=dir]      reuse demo data of that scale already written in dir
#   make evaluate-lapse  lapse score vs recency and BG/NBD on a calibration/holdout split (bench_results/lapse_eval.json)
#   make evaluate-value  expected orders/spend vs BG/NBD + Gamma-Gamma and past rate, 39-week holdout (bench_results/value_eval.json)
#   make cluster-features | cluster-train | cluster-label | cluster-update | cluster-all
#                slices of the DFU pipeline (selectors.yml), on the build warehouse
#   make docs    dbt docs generate
#   make clean   remove build outputs (keeps .venv)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# the test, Spark, MLflow and browser tooling: installed by the targets that use them, not by make build
DEV_STAMP := $(VENV)/.installed-dev-stamp
DBT    := $(BIN)/dbt
RAW    ?= data/raw
SCALE  ?= small
BENCH_SCALE ?= large
# set (e.g. file://$(CURDIR)/target/mlruns or http://mlflow:5000) to log every fit of `make build` to MLflow
TRACKING_URI ?= $(CLUSTER_MARTS_TRACKING_URI)
# `make bench SCALE=100k` (command line or environment) benchmarks that scale; `make bench` alone: BENCH_SCALE
ifneq ($(filter command line environment,$(origin SCALE)),)
BENCH_SCALE := $(SCALE)
endif
TEST_DB := target/test.duckdb
# workers of the unit and integration suites (pytest-xdist; the integration suite gives a worker a test file)
TEST_WORKERS ?= 2
COMMA := ,
EMPTY :=
SPACE := $(EMPTY) $(EMPTY)
# the dbt vars of `make build` on your own data (YAML, as for dbt --vars); empty: the demo
VARS ?=
# where `make build` and `make report` write the HTML reports
REPORTS ?= reports

export DBT_PROFILES_DIR := $(CURDIR)
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install install-dev build publish data test test-spark build-spark bench-spark lint unit dbt-test quality integration report export snapshot snapshot-retention bench evaluate-lapse evaluate-value docs clean snapshot-customers \
        cluster-features cluster-train cluster-label cluster-update cluster-all

install: $(STAMP)

install-dev: $(DEV_STAMP)

# what building needs: the engine and dbt (the `dbt` extra)
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dbt]'
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dbt,dev,spark]'
	touch $(DEV_STAMP)

data: install
	$(BIN)/cluster-marts demo --scale $(SCALE) --out $(RAW) --if-absent

DEMO_VARS := {ai_models_path: $(abspath $(RAW))/ai_models.parquet, \
	sales_monthly_path: $(abspath $(RAW))/fact_sales_monthly.parquet, \
	dim_item_path: $(abspath $(RAW))/dim_item.parquet, dim_dfu_path: $(abspath $(RAW))/dim_dfu.parquet, \
	customer_orders_path: $(abspath $(RAW))/customer_orders.parquet}
DBT_VARS := --vars '$(DEMO_VARS)'

# `make build` (and snapshot, snapshot-retention, cluster-*) on the demo: the demo files (written when
# absent) and their vars; with VARS: only the user's vars and no demo data. dbt reads them from the
# environment, so quotes and braces reach it as typed.
ifeq ($(strip $(VARS)),)
BUILD_NEEDS := data
export CLUSTER_MARTS_BUILD_VARS := $(DEMO_VARS)
else
BUILD_NEEDS := install
export CLUSTER_MARTS_BUILD_VARS := $(VARS)
endif
BUILD_VARS := --vars "$$CLUSTER_MARTS_BUILD_VARS"

# write, audit, publish: the serving warehouse BI reads (CLUSTER_MARTS_SERVING_DB, default
# target/serving.duckdb) is replaced only when every model and test of the build passed; the reports
# cover the domains the build had on (var cluster_marts_domains)
build: $(BUILD_NEEDS)
	@$(DBT) build $(BUILD_VARS) || { echo "dbt build failed: nothing published; BI keeps the last published version"; exit 1; }
	$(BIN)/cluster-marts publish
	$(BIN)/cluster-marts workbench-report --out $(REPORTS)/workbench
	$(if $(TRACKING_URI),$(BIN)/cluster-marts track --uri '$(TRACKING_URI)')

publish: install
	$(BIN)/cluster-marts publish

cluster-features cluster-train cluster-label cluster-update cluster-all: $(BUILD_NEEDS)
	$(DBT) build --selector $(subst cluster-,dfu_,$@) $(BUILD_VARS)

# sqlfluff compiles the models with the dbt templater: it needs the demo files (sources are read
# to check their contract) and writes its scratch warehouse under target/
lint: install-dev data
	$(BIN)/ruff check src tests benchmarks python_models
	$(BIN)/lint-imports --no-logo
	$(BIN)/pylint --disable=all --enable=duplicate-code --score=n src
	CLUSTER_MARTS_DB=target/lint.duckdb $(BIN)/sqlfluff lint models python_models tests/dbt

unit: install-dev
	$(BIN)/pytest tests/unit -q -n $(TEST_WORKERS)

dbt-test: data
	CLUSTER_MARTS_DB=$(TEST_DB) $(DBT) build $(DBT_VARS)

quality: install-dev
	$(BIN)/cluster-marts check --db $(TEST_DB)

integration: install-dev
	bash scripts/ensure_chromium.sh
	CLUSTER_MARTS_DB=$(TEST_DB) CLUSTER_MARTS_RAW=$(RAW) $(BIN)/pytest tests/integration -q \
		-n $(TEST_WORKERS) --dist loadfile

# the Spark suite: the engine on Spark DataFrames and the parity of the Spark build with DuckDB (Java 17)
test-spark: install-dev
	CLUSTER_MARTS_DB=$(TEST_DB) $(BIN)/pytest tests/spark -q

# the integration tests and the Spark suite run side by side (both read $(TEST_DB) read-only): on 2 cores
# about a minute and a half less than one after the other; each one's output is printed when it ends
test: lint unit dbt-test quality
	$(MAKE) --no-print-directory -j2 --output-sync=target integration test-spark

report: install
	$(BIN)/cluster-marts report --out $(REPORTS)
	@echo "open $(REPORTS)/index.html"

snapshot: $(BUILD_NEEDS)
	$(DBT) build -s +customer_membership_snapshots+ --vars "$${CLUSTER_MARTS_BUILD_VARS%\}}$(COMMA) customer_snapshot_dates: [$(SNAPSHOT_DATE)]}"

snapshot-retention: install
	$(DBT) run-operation apply_snapshot_retention $(BUILD_VARS)

# a snapshot now of some customers (after a build): make snapshot-customers CUSTOMERS="C-000017 C-000042"
snapshot-customers: $(BUILD_NEEDS)
	@test -n "$(strip $(CUSTOMERS))" || { echo 'give the customers: make snapshot-customers CUSTOMERS="id1 id2"'; exit 2; }
	$(DBT) build -s customer_on_demand_snapshots --vars "$${CLUSTER_MARTS_BUILD_VARS%\}}$(COMMA) customer_snapshot_customers: [$(subst $(SPACE),$(COMMA),$(strip $(patsubst %,'%',$(CUSTOMERS))))]}"

export: install
	$(BIN)/cluster-marts export --out reports/profiles

bench: install
	$(BIN)/python -m benchmarks --scale $(BENCH_SCALE) --workdir bench_results $(if $(BENCH_RAW),--raw $(BENCH_RAW))

build-spark: install-dev
	CLUSTER_MARTS_SPARK_DIR=$(CURDIR)/target/spark $(BIN)/cluster-marts build --target spark

bench-spark: install-dev
	$(BIN)/python -m benchmarks.spark_scoring

evaluate-lapse: install
	$(BIN)/python -m benchmarks.lapse_eval --workdir bench_results

evaluate-value: install
	$(BIN)/python -m benchmarks.value_eval --workdir bench_results

docs: install
	$(DBT) docs generate

clean:
	rm -rf target logs reports bench_results .pytest_cache
